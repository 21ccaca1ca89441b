import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, MENU_LABELS } from '../../../shared/commands/registry.js';
import { shortcutLabel } from '../../../shared/commands/shortcuts.js';
import { LAYER_SPECS } from '../../../shared/layers/registry.js';

describe('README', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

  it('lists every layer in the palette, under its palette category', () => {
    const section = readme.slice(readme.indexOf('## Layers'), readme.indexOf('## Keras and TensorFlow.js models'));
    for (const spec of LAYER_SPECS) {
      const row = section.split('\n').find((line) => line.startsWith(`| ${spec.category} |`));
      expect(row, `README's layer table has no ${spec.category} row`).toBeDefined();
      expect(row, `${spec.type} is missing from the ${spec.category} row`).toContain(`\`${spec.type}\``);
    }
  });

  it('lists every template with the quality its file states', () => {
    const section = readme.slice(readme.indexOf('## Templates'), readme.indexOf('## Layers'));
    for (const file of readdirSync(new URL('../../../templates/', import.meta.url)).filter((f) => f.endsWith('.netcanvas.json'))) {
      const template = JSON.parse(readFileSync(new URL(`../../../templates/${file}`, import.meta.url), 'utf8'));
      const row = section.split('\n').find((line) => line.startsWith(`| ${template.name} |`));
      expect(row, `README's template table has no row for ${template.name}`).toBeDefined();
      if (template.expected) {
        const bound = template.expected.atLeast !== undefined ? `≥ ${template.expected.atLeast}` : `≤ ${template.expected.atMost}`;
        expect(row, `${template.name}: the README states another quality than its file`).toContain(`${bound} after ${template.expected.epochs} epoch`);
      }
    }
  });

  it('lists every command that has keys, with the keys the registry gives it', () => {
    const section = readme.slice(readme.indexOf('## Editing'), readme.indexOf('## Projects'));
    for (const command of COMMANDS) {
      if (!('shortcuts' in command)) continue;
      const keys = command.shortcuts.map((s) => `\`${shortcutLabel(s, 'other')}\``).join(', ');
      expect(section, `the README's shortcut table misses ${command.label}`).toContain(`| ${MENU_LABELS[command.menu]} | ${command.label} | ${keys} |`);
    }
  });
});
