import { platform } from '../commands/keyboard';
import { Dialog } from '../panels/Dialog';
import { closeDialog } from '../stores/uiStore';
import { COMMANDS, MENU_LABELS, MENUS } from '../../shared/commands/registry';
import { shortcutLabel } from '../../shared/commands/shortcuts';

/** Every command that has keys, by menu: the registry's own list. */
export function ShortcutsDialog() {
  const os = platform();
  return (
    <Dialog title="Keyboard shortcuts" onClose={closeDialog} className="shortcuts-dialog">
      <div className="shortcut-columns">
        {MENUS.map((menu) => {
          const commands = COMMANDS.filter((c) => c.menu === menu && 'shortcuts' in c);
          if (commands.length === 0) return null;
          return (
            <section key={menu}>
              <h3>{MENU_LABELS[menu]}</h3>
              <dl className="shortcut-list">
                {commands.map((c) => (
                  <div key={c.id}>
                    <dt>{c.label}</dt>
                    <dd>{'shortcuts' in c ? c.shortcuts.map((s) => <kbd key={s}>{shortcutLabel(s, os)}</kbd>) : null}</dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
      </div>
    </Dialog>
  );
}
