import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyScore } from '../../../../shared/commands/fuzzy.js';
import { COMMANDS, type CommandSpec } from '../../../../shared/commands/registry.js';
import { matchesShortcut, parseShortcut, type KeyPress } from '../../../../shared/commands/shortcuts.js';
import { LAYER_SPECS } from '../../../../shared/layers/registry.js';

const commands: readonly CommandSpec[] = COMMANDS;

describe('the command registry', () => {
  it('registers each command once, every shortcut readable', () => {
    expect(new Set(commands.map((c) => c.id)).size).toBe(commands.length);
    for (const c of commands) for (const s of c.shortcuts ?? []) expect(() => parseShortcut(s)).not.toThrow();
    for (const c of commands) if (c.shortcuts) expect(c.scope, `${c.id} says where its keys act`).toBeDefined();
  });

  it('gives no two commands the same keys', () => {
    const seen = new Map<string, string>();
    for (const c of commands) {
      for (const s of c.shortcuts ?? []) {
        expect(seen.get(s), `${s} is taken by ${seen.get(s)} and ${c.id}`).toBeUndefined();
        seen.set(s, c.id);
      }
    }
  });

  it('keeps the keys browsers reserve for themselves free', () => {
    const reserved: KeyPress[] = ['n', 't', 'w'].map((key) => ({ key, ctrlKey: true, metaKey: false, shiftKey: false, altKey: false }));
    for (const c of commands) for (const s of c.shortcuts ?? []) for (const p of reserved) expect(matchesShortcut(s, p, 'other')).toBe(false);
  });
});

describe('fuzzy search', () => {
  it('needs every typed letter in order', () => {
    expect(fuzzyScore('sve', 'Save')).not.toBeNull();
    expect(fuzzyScore('xyz', 'Save')).toBeNull();
  });

  it('ranks the layer whose name is typed whole first', () => {
    const names = LAYER_SPECS.map((s) => `Add ${s.type}`);
    for (const type of ['Dense', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Input', 'LSTM']) {
      expect(fuzzyFilter(names, type, (n) => [n])[0]).toBe(`Add ${type}`);
    }
  });

  it('ranks a match in the name above one in the description', () => {
    const items = [
      { name: 'Undo', help: 'save nothing' },
      { name: 'Save', help: 'Write the project' },
    ];
    expect(fuzzyFilter(items, 'save', (i) => [i.name, i.help])[0]!.name).toBe('Save');
  });
});
