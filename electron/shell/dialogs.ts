/** Native open and save dialogs over the focused window; the renderer only ever sees the path chosen. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BrowserWindow, dialog, type MessageBoxSyncOptions, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { ProjectDialogs } from '../backend/projects.js';

const PROJECT_FILTERS = [
  { name: 'NetCanvas project', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

async function showOpen(options: OpenDialogOptions): Promise<string | null> {
  const win = BrowserWindow.getFocusedWindow();
  const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

async function showSave(options: SaveDialogOptions): Promise<string | null> {
  const win = BrowserWindow.getFocusedWindow();
  const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? null : result.filePath;
}

function ask(options: MessageBoxSyncOptions): number {
  const win = BrowserWindow.getFocusedWindow();
  return win ? dialog.showMessageBoxSync(win, options) : dialog.showMessageBoxSync(options);
}

export function nativeDialogs(projectsDir: string): ProjectDialogs {
  return {
    open: () => showOpen({ title: 'Open a project', defaultPath: projectsDir, properties: ['openFile'], filters: PROJECT_FILTERS }),
    save: async (defaultFileName) => {
      const chosen = await showSave({ title: 'Save the project', defaultPath: path.join(projectsDir, defaultFileName), filters: PROJECT_FILTERS });
      if (chosen === null || /\.json$/i.test(chosen)) return chosen;
      // Some dialogs add no extension, and so asked nothing about this name: ask here.
      const file = `${chosen}.netcanvas.json`;
      if (!existsSync(file)) return file;
      const replace = ask({ type: 'question', buttons: ['Replace', 'Cancel'], defaultId: 1, cancelId: 1, message: `${path.basename(file)} exists already. Replace it?` });
      return replace === 0 ? file : null;
    },
    // Data files come in many forms (CSV, text, .npy, IDX files without an extension): no filter.
    chooseData: (kind, defaultPath) =>
      showOpen({
        title: kind === 'folder' ? 'Choose the dataset’s folder' : 'Choose the dataset’s file',
        ...(defaultPath ? { defaultPath } : {}),
        properties: [kind === 'folder' ? 'openDirectory' : 'openFile'],
      }),
    // A new folder may be made in the dialog; the export's files go inside the one chosen.
    chooseExportFolder: (defaultName) =>
      showOpen({
        title: 'Choose the folder to export into',
        buttonLabel: 'Export here',
        defaultPath: path.join(projectsDir, defaultName),
        properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
      }),
  };
}
