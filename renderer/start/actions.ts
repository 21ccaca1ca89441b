/** What the start screen does: shown at start and by "New from the gallery…", it leads to a template, a recent project or an empty canvas. */
import { newProject, refreshProjectList } from '../stores/fileActions';
import { useGraphStore } from '../stores/graphStore';
import { currentFile, currentIsDirty } from '../stores/projectStore';
import { closeDialog, openDialog } from '../stores/uiStore';

/** New from the gallery…: the start screen again, with the recent list brought up to date. */
export function showStartScreen(): void {
  void refreshProjectList();
  openDialog('start');
}

/**
 * Empty canvas: the window's first, untouched document is empty already, so the screen just
 * goes; any other project is replaced by a new one, asking about unsaved changes first.
 */
export async function startEmpty(): Promise<void> {
  const untouched = useGraphStore.getState().graph.nodes.length === 0 && !currentIsDirty() && !currentFile()?.path;
  if (untouched) {
    closeDialog();
    return;
  }
  await newProject();
}
