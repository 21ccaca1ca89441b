import { Dialog } from '../panels/Dialog';
import { useUiStore } from '../stores/uiStore';

/** The question `confirm()` asks, with its choices as buttons; closing it is "no choice". */
export function ConfirmDialog() {
  const confirmation = useUiStore((s) => s.confirmation);
  if (!confirmation) return null;
  const { title, message, choices, resolve } = confirmation;
  // Enter takes the first choice that loses nothing.
  const safe = choices.findIndex((c) => c.kind !== 'danger');
  return (
    <Dialog title={title} onClose={() => resolve(null)} className="confirm-dialog" testId="confirm-dialog">
      <p>{message}</p>
      <div className="dialog-actions">
        {choices.map((choice, i) => (
          <button key={choice.id} className={choice.kind ?? undefined} onClick={() => resolve(choice.id)} data-autofocus={i === safe ? true : undefined}>
            {choice.label}
          </button>
        ))}
      </div>
    </Dialog>
  );
}
