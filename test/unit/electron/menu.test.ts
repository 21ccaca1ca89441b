import { describe, expect, it } from 'vitest';
import { menuTemplate, type MenuItemTemplate } from '../../../electron/menu.js';
import { COMMANDS, type CommandId } from '../../../shared/commands/registry.js';

const labels = (items: MenuItemTemplate[] | undefined) => (items ?? []).filter((i) => i.label).map((i) => i.label);

describe('the desktop menus', () => {
  it('are File, Edit, View, Train and Help, holding every command the registry puts in a menu', () => {
    const menus = menuTemplate(() => undefined, 'linux');
    expect(labels(menus)).toEqual(['File', 'Edit', 'View', 'Train', 'Help']);
    const shown = menus.flatMap((m) => labels(m.submenu));
    for (const command of COMMANDS) if ('menu' in command) expect(shown).toContain(command.label);
  });

  it('show each shortcut as an accelerator without taking the key from the page', () => {
    const edit = menuTemplate(() => undefined, 'linux').find((m) => m.label === 'Edit')!.submenu!;
    const undo = edit.find((i) => i.label === 'Undo')!;
    expect(undo).toMatchObject({ accelerator: 'CmdOrCtrl+Z', registerAccelerator: false });
    expect(edit.find((i) => i.label === 'Redo')!.accelerator).toBe('CmdOrCtrl+Shift+Z');
  });

  it('send the chosen command to the window, saying whether its keys chose it', () => {
    const ran: [CommandId, boolean][] = [];
    const train = menuTemplate((id, byKeys) => ran.push([id, byKeys]), 'linux').find((m) => m.label === 'Train')!.submenu!;
    train.find((i) => i.label === 'Train')!.click!(null, null, { triggeredByAccelerator: false });
    train.find((i) => i.label === 'Train')!.click!(null, null, { triggeredByAccelerator: true });
    expect(ran).toEqual([
      ['train.start', false],
      ['train.start', true],
    ]);
  });

  it('on a Mac, where menus take their keys first, show no key that typing needs', () => {
    const edit = menuTemplate(() => undefined, 'darwin').find((m) => m.label === 'Edit')!.submenu!;
    for (const label of ['Delete', 'Select the next layer', 'Add a layer…', 'Connect to…', 'Edit the layer’s settings']) {
      expect(edit.find((i) => i.label === label)!.accelerator, label).toBeUndefined();
    }
    expect(edit.find((i) => i.label === 'Undo')!.accelerator).toBe('CmdOrCtrl+Z');
    expect(menuTemplate(() => undefined, 'darwin').map((m) => m.label ?? m.role)).toEqual(['appMenu', 'File', 'Edit', 'View', 'Train', 'windowMenu', 'Help']);
  });

  it('separate the groups of a menu with lines, and put the app menu first on a Mac', () => {
    const file = menuTemplate(() => undefined, 'linux')[0]!.submenu!;
    expect(file.findIndex((i) => i.type === 'separator')).toBe(file.findIndex((i) => i.label === 'Save') - 1);
    expect(menuTemplate(() => undefined, 'darwin')[0]).toEqual({ role: 'appMenu' });
  });
});
