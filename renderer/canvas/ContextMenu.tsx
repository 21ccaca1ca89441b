import { useEffect, useRef } from 'react';
import { runCommand, whyDisabled } from '../commands/handlers';
import { commandShortcut } from '../commands/useCommand';
import { COMMANDS, type CommandId, type ContextMenu as MenuKind } from '../../shared/commands/registry';

export interface MenuAt {
  kind: MenuKind;
  x: number;
  y: number;
}

/** A right-click menu: the registered commands that belong to what was clicked. */
export function ContextMenu({ at, onClose }: { at: MenuAt; onClose(): void }) {
  const box = useRef<HTMLDivElement>(null);
  const items = COMMANDS.filter((c) => 'contexts' in c && (c.contexts as readonly MenuKind[]).includes(at.kind));

  useEffect(() => {
    box.current?.querySelector<HTMLElement>('button:not([disabled])')?.focus();
    const away = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('pointerdown', away, true);
    return () => window.removeEventListener('pointerdown', away, true);
  }, [onClose]);

  const run = (id: CommandId) => {
    onClose();
    runCommand(id);
  };
  return (
    <div
      ref={box}
      className="context-menu"
      role="menu"
      style={{ left: at.x, top: at.y }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
        const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
        if (step) {
          e.preventDefault();
          const buttons = [...(box.current?.querySelectorAll<HTMLElement>('button:not([disabled])') ?? [])];
          const i = buttons.indexOf(document.activeElement as HTMLElement);
          buttons[(i + step + buttons.length) % buttons.length]?.focus();
        }
      }}
    >
      {items.map((c) => {
        const why = whyDisabled(c.id);
        return (
          <button key={c.id} role="menuitem" disabled={why !== null} title={why ?? undefined} onClick={() => run(c.id)}>
            <span>{c.label}</span>
            {commandShortcut(c.id) && <kbd>{commandShortcut(c.id)}</kbd>}
          </button>
        );
      })}
    </div>
  );
}
