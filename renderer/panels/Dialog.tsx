import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
  /** Shown as the dialog's heading; the title still names it for screen readers. */
  heading?: ReactNode;
  testId?: string;
}

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), textarea, button:not([disabled]):not(.dialog-close), [tabindex]:not([tabindex="-1"])';

/**
 * Every dialog's frame: Escape or a click beside it closes it, focus moves into it when it
 * opens and goes back where it was when it closes, and Tab stays inside it.
 */
export function Dialog({ title, onClose, children, className, heading, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = box.current?.querySelector<HTMLElement>('[data-autofocus]') ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? box.current)?.focus();
    const dialog = box.current;
    return () => {
      // Back where it was, unless what the dialog did has put the focus somewhere already.
      const now = document.activeElement;
      const lost = !now || now === document.body || dialog?.contains(now);
      if (lost && before?.isConnected) before.focus();
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      e.preventDefault();
      close.current();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return;
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = e.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : at === items.length - 1 ? 0 : at + 1;
    e.preventDefault();
    items[next]!.focus();
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={box} className={`dialog${className ? ` ${className}` : ''}`} role="dialog" aria-modal="true" aria-label={title} tabIndex={-1} onKeyDown={onKeyDown} data-testid={testId}>
        <header>
          <h2>{heading ?? title}</h2>
          <button className="dialog-close" onClick={onClose} aria-label="Close">
            ×
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}
