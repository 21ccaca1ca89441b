import { runFromMenu } from './keyboard';
import { api } from '../api';
import { recoveriesOffered } from '../stores/autosave';
import { openPath } from '../stores/fileActions';
import { useUiStore } from '../stores/uiStore';
import { isCommandId } from '../../shared/commands/registry';

/**
 * A file the desktop was asked to open (from the file manager, or a second launch) opens as
 * if chosen in the Open dialog, asking about unsaved work first; but after the recovery copies
 * a crash left, which are offered first and answered before anything replaces the canvas.
 */
export async function openFromDesktop(path: string): Promise<void> {
  await recoveriesOffered();
  if (useUiStore.getState().dialog === 'recovery') {
    await new Promise<void>((resolve) => {
      const stop = useUiStore.subscribe((now) => {
        if (now.dialog === 'recovery') return;
        stop();
        resolve();
      });
    });
  }
  await openPath(path);
}

/** Files sent before the app was there to open them: the desktop sends one once the page has loaded. */
const waiting: string[] = [];
let openFile: ((path: string) => void) | null = null;
api.onEvent((event) => {
  if (event.topic !== 'open-file') return;
  if (openFile) openFile(event.path);
  else waiting.push(event.path);
});

/** The desktop menus send the id of the command chosen; it runs as if chosen here. Files sent to open, open. */
export function installMenuCommands(): () => void {
  openFile = (path) => void openFromDesktop(path);
  for (const path of waiting.splice(0)) openFile(path);
  const stop = api.onEvent((event) => {
    if (event.topic === 'command' && isCommandId(event.command)) runFromMenu(event.command, event.byKeys === true);
  });
  return () => {
    openFile = null;
    stop();
  };
}
