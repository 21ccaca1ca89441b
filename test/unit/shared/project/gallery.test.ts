import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProjectText } from '../../../../shared/project/parse.js';
import { TEMPLATE_FAMILIES, type Project } from '../../../../shared/project/schema.js';

const files = readdirSync('templates').filter((name) => name.endsWith('.netcanvas.json'));

function load(name: string): Project {
  const result = parseProjectText(readFileSync(`templates/${name}`, 'utf8'), name);
  if (!result.ok) throw new Error(result.error.message);
  return result.project;
}

describe('template gallery entries', () => {
  it('finds the templates', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s parses and has a gallery entry', (name) => {
    const { gallery } = load(name);
    expect(gallery, `${name} has no "gallery"`).toBeDefined();
  });

  /** The gallery's words must not promise more than the template's checked expectation. */
  it.each(files)('%s states the figure its expectation checks', (name) => {
    const { gallery, expected } = load(name);
    if (!expected) return;
    const figure = expected.atLeast !== undefined && expected.metric === 'valAcc' ? `${Math.round(expected.atLeast * 100)}%` : String(expected.atMost ?? expected.atLeast);
    expect(gallery?.result).toContain(figure);
  });

  it('uses every family the gallery filters by', () => {
    const used = new Set(files.map((name) => load(name).gallery?.family));
    expect(TEMPLATE_FAMILIES.filter((family) => !used.has(family))).toEqual([]);
  });
});
