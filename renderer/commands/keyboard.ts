/**
 * The keyboard as a view of the command registry: one listener matches each key press
 * against the registered shortcuts, where the focus allows their scope.
 */
import { HANDLERS, runCommand } from './handlers';
import { installClipboardEvents } from './clipboard';
import type { TextEdit } from '../../shared/api/contract';
import { COMMANDS, getCommand, type CommandId, type KeyScope } from '../../shared/commands/registry';
import { matchesShortcut, type Platform } from '../../shared/commands/shortcuts';

export function platform(): Platform {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  return /mac/i.test(nav.userAgentData?.platform ?? navigator.platform) ? 'mac' : 'other';
}

/**
 * Where the focus is. `text`: typing into a field. `history-field`: a field whose edits are
 * steps of the network's history (the inspector's), where Undo means the network's undo.
 */
type FocusContext = 'canvas' | 'text' | 'history-field' | 'dialog' | 'other';

const TEXT_INPUTS = new Set(['text', 'search', 'number', 'email', 'url', 'password', 'tel', '']);

/** Controls of their own inside the canvas (a layer's repair button, zoom buttons, a right-click menu) keep Enter and the arrows. */
const OWN_KEYS = 'button, a, [role="menu"], [role="menuitem"], .react-flow__controls';

function focusContext(element: Element | null): FocusContext {
  if (!element || element === document.body) return 'canvas';
  if (element.closest('[role="dialog"]')) return 'dialog';
  if (element.closest(OWN_KEYS)) return 'other';
  const editable =
    (element instanceof HTMLInputElement && TEXT_INPUTS.has(element.type)) ||
    element instanceof HTMLTextAreaElement ||
    element instanceof HTMLSelectElement ||
    (element instanceof HTMLElement && element.isContentEditable);
  if (editable) return element.closest('[data-history="graph"]') ? 'history-field' : 'text';
  if (element.closest('[data-testid="canvas"]')) return 'canvas';
  return 'other';
}

function allowed(scope: KeyScope, context: FocusContext, id: string): boolean {
  switch (context) {
    case 'canvas':
      return true;
    case 'other':
      return scope !== 'canvas';
    case 'history-field':
      return scope === 'always' || id === 'edit.undo' || id === 'edit.redo';
    case 'text':
      return scope === 'always';
    case 'dialog':
      return false;
  }
}

export function canvasHasFocus(): boolean {
  return focusContext(document.activeElement) === 'canvas';
}

/** What the desktop menus' Undo, Copy… do in a text field: edit the text, as that field's own menu would. */
const TEXT_EDIT_OF: Partial<Record<CommandId, TextEdit>> = {
  'edit.undo': 'undo',
  'edit.redo': 'redo',
  'edit.cut': 'cut',
  'edit.copy': 'copy',
  'edit.paste': 'paste',
  'edit.select-all': 'selectAll',
};

/**
 * A command chosen in the desktop menus. A Mac's menus take their keys before the page, so
 * chosen by its keys a command acts only where its keys would; in a text field, Undo, Copy…
 * edit the text, whether chosen by keys or mouse.
 */
export function runFromMenu(id: CommandId, byKeys: boolean): void {
  const context = focusContext(document.activeElement);
  const textEdit = TEXT_EDIT_OF[id];
  const inText = context === 'text' || context === 'dialog' || (context === 'history-field' && id !== 'edit.undo' && id !== 'edit.redo');
  if (textEdit && inText) {
    void window.netcanvas?.editText(textEdit);
    return;
  }
  const command = getCommand(id);
  if (byKeys && command.scope && !allowed(command.scope, context, id)) return;
  runCommand(id, byKeys ? 'keys' : 'menu');
}

export function installKeyboard(): () => void {
  const os = platform();
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return;
    const context = focusContext(document.activeElement);
    for (const command of COMMANDS) {
      if (!('shortcuts' in command) || !command.shortcuts.some((s) => matchesShortcut(s, event, os))) continue;
      if (!allowed(command.scope, context, command.id)) continue;
      // Copy, cut and paste come back as the browser's clipboard events.
      if (HANDLERS[command.id].nativeKeys) return;
      event.preventDefault();
      runCommand(command.id, 'keys');
      return;
    }
  };
  window.addEventListener('keydown', onKeyDown);
  const removeClipboard = installClipboardEvents(canvasHasFocus);
  return () => {
    window.removeEventListener('keydown', onKeyDown);
    removeClipboard();
  };
}
