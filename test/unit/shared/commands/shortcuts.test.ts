import { describe, expect, it } from 'vitest';
import { electronAccelerator, matchesShortcut, shortcutLabel, type KeyPress } from '../../../../shared/commands/shortcuts.js';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('keyboard shortcuts', () => {
  it('match Mod as Ctrl, or as Cmd on a Mac, with exactly the modifiers named', () => {
    expect(matchesShortcut('Mod+Z', press('z', { ctrlKey: true }), 'other')).toBe(true);
    expect(matchesShortcut('Mod+Z', press('z', { metaKey: true }), 'mac')).toBe(true);
    expect(matchesShortcut('Mod+Z', press('z', { metaKey: true }), 'other')).toBe(false);
    expect(matchesShortcut('Mod+Z', press('Z', { ctrlKey: true, shiftKey: true }), 'other')).toBe(false);
    expect(matchesShortcut('Mod+Shift+Z', press('Z', { ctrlKey: true, shiftKey: true }), 'other')).toBe(true);
    expect(matchesShortcut('Delete', press('Delete'), 'other')).toBe(true);
    expect(matchesShortcut('Delete', press('Delete', { ctrlKey: true }), 'other')).toBe(false);
  });

  it('know Shift+1 and ⌥N by the key pressed, though they type "!" and "˜"', () => {
    expect(matchesShortcut('Shift+1', press('!', { shiftKey: true, code: 'Digit1' }), 'other')).toBe(true);
    expect(matchesShortcut('Shift+1', press('!', { shiftKey: true, code: 'Digit2' }), 'other')).toBe(false);
    expect(matchesShortcut('Mod+Alt+N', press('˜', { metaKey: true, altKey: true, code: 'KeyN' }), 'mac')).toBe(true);
  });

  it('let a symbol typed with Shift, such as ?, match without naming Shift', () => {
    expect(matchesShortcut('?', press('?', { shiftKey: true }), 'other')).toBe(true);
    expect(matchesShortcut('Mod+=', press('=', { ctrlKey: true }), 'other')).toBe(true);
  });

  it('are written for people the way each platform writes them', () => {
    expect(shortcutLabel('Mod+Shift+Z', 'other')).toBe('Ctrl+Shift+Z');
    expect(shortcutLabel('Mod+Shift+Z', 'mac')).toBe('⇧⌘Z');
    expect(shortcutLabel('ArrowRight', 'other')).toBe('→');
  });

  it('become Electron accelerators', () => {
    expect(electronAccelerator('Mod+Shift+Z')).toBe('CmdOrCtrl+Shift+Z');
    expect(electronAccelerator('Mod+Enter')).toBe('CmdOrCtrl+Return');
    expect(electronAccelerator('ArrowLeft')).toBe('Left');
    expect(electronAccelerator('Mod+=')).toBe('CmdOrCtrl+=');
  });
});
