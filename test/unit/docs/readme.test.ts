import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
});
