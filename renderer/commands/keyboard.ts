/**
 * The keyboard as a view of the command registry: one listener matches each key press
 * against the registered shortcuts, where the focus allows their scope.
 */
import { HANDLERS, runCommand } from './handlers';
import { installClipboardEvents } from './clipboard';
import { COMMANDS, type KeyScope } from '../../shared/commands/registry';
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

function focusContext(element: Element | null): FocusContext {
  if (!element || element === document.body) return 'canvas';
  if (element.closest('[role="dialog"]')) return 'dialog';
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
