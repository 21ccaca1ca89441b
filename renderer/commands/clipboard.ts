/**
 * Copy, cut and paste of layers through the system clipboard, as text, so a selection also
 * pastes into another window. Keys go through the browser's own copy and paste events (no
 * permission needed); menus and the palette use the Clipboard API, and fall back to the
 * last copy made here when the browser keeps the clipboard out of reach.
 */
import { focusCanvas, viewCentre } from '../canvas/viewport';
import { paste, removeSelection, useGraphStore } from '../stores/graphStore';
import { useUiStore } from '../stores/uiStore';
import { clipText, copyLayers, readClip } from '../../shared/graph/clipboard';

let lastCopied: string | null = null;

function selectionText(): string | null {
  const { graph, selection } = useGraphStore.getState();
  const clip = copyLayers(graph, selection.nodes);
  return clip ? clipText(clip) : null;
}

export function hasLayerSelection(): boolean {
  const { graph, selection } = useGraphStore.getState();
  return selection.nodes.some((id) => graph.nodes.some((n) => n.id === id));
}

/** Pastes layers from clipboard text; says so when the text holds none. */
export function pasteText(text: string | null): boolean {
  const clip = text ? readClip(text) : null;
  if (!clip) {
    useUiStore.getState().notify('info', 'The clipboard holds no NetCanvas layers: copy some layers first (Ctrl+C on the canvas).');
    return false;
  }
  // Layers copied from this canvas land beside their originals; from elsewhere, in view.
  const ids = new Set(useGraphStore.getState().graph.nodes.map((n) => n.id));
  const local = clip.nodes.every((n) => ids.has(n.id));
  paste(clip, local ? undefined : viewCentre());
  focusCanvas();
  return true;
}

export async function copyCommand(cut: boolean): Promise<void> {
  const text = selectionText();
  if (!text) return;
  lastCopied = text;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Kept in lastCopied: pasting in this window still works.
  }
  if (cut) removeSelection();
}

export async function pasteCommand(): Promise<void> {
  let text: string | null = null;
  try {
    text = await navigator.clipboard.readText();
  } catch {
    text = null;
  }
  pasteText(readClip(text ?? '') ? text : lastCopied);
}

/** Text selected on the page (an error message, a setting's help): copying it copies the text. */
function textSelected(): boolean {
  const selection = window.getSelection();
  return !!selection && !selection.isCollapsed && selection.toString().trim() !== '';
}

/** The keyboard's copy, cut and paste, when the canvas has the focus. */
export function installClipboardEvents(isCanvasFocus: () => boolean): () => void {
  const onCopy = (cut: boolean) => (event: ClipboardEvent) => {
    if (!isCanvasFocus() || textSelected()) return;
    const text = selectionText();
    if (!text || !event.clipboardData) return;
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
    lastCopied = text;
    if (cut) removeSelection();
  };
  const onPaste = (event: ClipboardEvent) => {
    if (!isCanvasFocus()) return;
    event.preventDefault();
    pasteText(event.clipboardData?.getData('text/plain') ?? lastCopied);
  };
  const copy = onCopy(false);
  const cut = onCopy(true);
  document.addEventListener('copy', copy);
  document.addEventListener('cut', cut);
  document.addEventListener('paste', onPaste);
  return () => {
    document.removeEventListener('copy', copy);
    document.removeEventListener('cut', cut);
    document.removeEventListener('paste', onPaste);
  };
}
