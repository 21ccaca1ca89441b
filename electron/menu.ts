/**
 * The desktop menus (File, Edit, View, Train, Help) as a view of the command registry. Kept
 * free of `electron` so it can be tested: main.ts hands the template to Menu.buildFromTemplate.
 */
import { COMMANDS, MENU_LABELS, MENUS, type CommandId } from '../shared/commands/registry.js';
import { electronAccelerator } from '../shared/commands/shortcuts.js';

/** The part of Electron's MenuItemConstructorOptions the menus use. */
export interface MenuItemTemplate {
  label?: string;
  type?: 'separator';
  role?: 'appMenu' | 'toggleDevTools' | 'quit';
  accelerator?: string;
  registerAccelerator?: boolean;
  submenu?: MenuItemTemplate[];
  click?: () => void;
}

/**
 * One menu per registry menu, its groups separated by lines. Shortcuts are shown but not
 * registered: the page's own keyboard handling acts on them, so they behave the same in
 * browser mode and leave typing in text fields alone.
 */
export function menuTemplate(run: (id: CommandId) => void, platform: NodeJS.Platform): MenuItemTemplate[] {
  const menus: MenuItemTemplate[] = MENUS.map((menu) => {
    const items: MenuItemTemplate[] = [];
    let group: number | undefined;
    for (const command of COMMANDS) {
      if (command.menu !== menu) continue;
      if (group !== undefined && command.group !== group) items.push({ type: 'separator' });
      group = command.group;
      const shortcut = 'shortcuts' in command ? command.shortcuts[0] : undefined;
      items.push({
        label: command.label,
        ...(shortcut ? { accelerator: electronAccelerator(shortcut), registerAccelerator: false } : {}),
        click: () => run(command.id),
      });
    }
    if (menu === 'file' && platform !== 'darwin') items.push({ type: 'separator' }, { role: 'quit' });
    if (menu === 'help') items.push({ type: 'separator' }, { role: 'toggleDevTools' });
    return { label: MENU_LABELS[menu], submenu: items };
  });
  return platform === 'darwin' ? [{ role: 'appMenu' }, ...menus] : menus;
}
