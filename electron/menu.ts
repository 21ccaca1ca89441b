/**
 * The desktop menus (File, Edit, View, Train, Help) as a view of the command registry. Kept
 * free of `electron` so it can be tested: main.ts hands the template to Menu.buildFromTemplate.
 */
import { COMMANDS, MENU_LABELS, MENUS, type CommandId } from '../shared/commands/registry.js';
import { electronAccelerator, parseShortcut, type Shortcut } from '../shared/commands/shortcuts.js';

/** The part of Electron's MenuItemConstructorOptions the menus use. */
export interface MenuItemTemplate {
  label?: string;
  type?: 'separator';
  role?: 'appMenu' | 'windowMenu' | 'toggleDevTools' | 'quit';
  accelerator?: string;
  registerAccelerator?: boolean;
  submenu?: MenuItemTemplate[];
  click?: (item: unknown, window: unknown, event: { triggeredByAccelerator?: boolean }) => void;
}

/** Keys without Ctrl, ⌘ or Alt: arrows, Delete, Shift+A. A text field needs them as typing. */
const typed = (shortcut: Shortcut) => {
  const s = parseShortcut(shortcut);
  return !s.mod && !s.ctrl && !s.alt;
};

/**
 * One menu per registry menu, its groups separated by lines. Shortcuts are shown but not
 * registered: the page's own keyboard handling acts on them, so they behave the same in
 * browser mode and leave typing in text fields alone. A Mac's menus take their keys before
 * the page whatever they are told, so there a menu shows no key that typing needs, and
 * `run` hears whether the keys or the mouse chose, for the page to judge by where its focus is.
 */
export function menuTemplate(run: (id: CommandId, byKeys: boolean) => void, platform: NodeJS.Platform): MenuItemTemplate[] {
  const menus: MenuItemTemplate[] = MENUS.map((menu) => {
    const items: MenuItemTemplate[] = [];
    let group: number | undefined;
    for (const command of COMMANDS) {
      if (command.menu !== menu) continue;
      if (group !== undefined && command.group !== group) items.push({ type: 'separator' });
      group = command.group;
      const shortcuts: readonly Shortcut[] = 'shortcuts' in command ? command.shortcuts : [];
      const shortcut = platform === 'darwin' ? shortcuts.find((s) => !typed(s)) : shortcuts[0];
      items.push({
        label: command.label,
        ...(shortcut ? { accelerator: electronAccelerator(shortcut), registerAccelerator: false } : {}),
        click: (_item, _window, event) => run(command.id, event?.triggeredByAccelerator === true),
      });
    }
    if (menu === 'file' && platform !== 'darwin') items.push({ type: 'separator' }, { role: 'quit' });
    if (menu === 'help') items.push({ type: 'separator' }, { role: 'toggleDevTools' });
    return { label: MENU_LABELS[menu], submenu: items };
  });
  return platform === 'darwin' ? [{ role: 'appMenu' }, ...menus.slice(0, -1), { role: 'windowMenu' }, menus[menus.length - 1]!] : menus;
}
