import { CommandButton } from '../commands/CommandButton';
import { useThemeStore } from '../stores/themeStore';

/**
 * The theme setting, and presentation mode's way in and, while it is on, its way out, in words
 * a room can read.
 */
export function PresentationButton() {
  const presenting = useThemeStore((s) => s.presentation);
  return (
    <div className="toolbar-group" role="group" aria-label="View">
      {!presenting && (
        <CommandButton id="view.theme" className="icon-button">
          ◐
        </CommandButton>
      )}
      {presenting ? (
        <CommandButton id="view.presentation" className="presenting-badge">
          Presenting — Esc to leave
        </CommandButton>
      ) : (
        <CommandButton id="view.presentation">Present</CommandButton>
      )}
    </div>
  );
}
