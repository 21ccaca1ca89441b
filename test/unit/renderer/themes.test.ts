import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../../../renderer/${file}`, import.meta.url), 'utf8');

/** The custom properties of the first rule whose selector is exactly this, as written in the file. */
function variables(css: string, selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  expect(start, `no rule for ${selector}`).toBeGreaterThanOrEqual(0);
  const body = css.slice(start + selector.length + 2, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** WCAG 2's relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`${hex} is not a #rrggbb colour`);
  const [r, g, b] = match.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const styles = read('styles.css');
const THEMES = {
  light: variables(styles, ":root, :root[data-theme='light']"),
  dark: variables(styles, ":root[data-theme='dark']"),
  presentation: variables(read('presentation.css'), ':root.presentation, :root.presentation[data-theme]'),
};

/** Text and what it is read on, with the least contrast WCAG AA asks of it. */
const PAIRS: readonly [text: string, on: string, least: number][] = [
  ['--text', '--bg', 4.5],
  ['--text', '--panel', 4.5],
  ['--muted', '--bg', 4.5],
  ['--muted', '--panel', 4.5],
  ['--accent', '--panel', 3],
  ['--danger', '--panel', 4.5],
  ['--shape', '--panel', 4.5],
  ['--on-accent', '--accent', 4.5],
  ['--on-strong', '--strong-bg', 4.5],
  ['--info-text', '--info-bg', 4.5],
  ['--error-text', '--error-bg', 4.5],
  ['--warn-text', '--warn-bg', 4.5],
  ['--ok-text', '--ok-bg', 4.5],
  ['--shape', '--shape-bg', 4.5],
  ['--text', '--subtle', 4.5],
  ['--text', '--input-bg', 4.5],
  ['--toolbar-text', '--toolbar-bg', 4.5],
  ['--toolbar-text', '--toolbar-button', 4.5],
  ['--toolbar-muted', '--toolbar-bg', 4.5],
  ['--chart-axis', '--panel', 4.5],
];

describe('the themes', () => {
  it('define the same variables, each a #rrggbb colour', () => {
    const names = Object.keys(THEMES.light).sort();
    expect(names).toEqual(expect.arrayContaining(['--bg', '--panel', '--border', '--text', '--muted', '--accent', '--danger', '--ok']));
    for (const [theme, vars] of Object.entries(THEMES)) {
      expect(Object.keys(vars).sort(), `${theme} has other variables than the light theme`).toEqual(names);
      for (const [name, value] of Object.entries(vars)) expect(value, `${theme} ${name}`).toMatch(/^#[0-9a-f]{6}$/i);
    }
  });

  it('tell a light theme from a dark one', () => {
    expect(luminance(THEMES.light['--bg']!)).toBeGreaterThan(0.8);
    expect(luminance(THEMES.dark['--bg']!)).toBeLessThan(0.05);
    expect(luminance(THEMES.dark['--text']!)).toBeGreaterThan(0.6);
  });

  for (const [theme, vars] of Object.entries(THEMES)) {
    it(`${theme}: text is readable on what it is drawn on (WCAG AA)`, () => {
      const failing = PAIRS.map(([text, on, least]) => ({ pair: `${text} on ${on}`, ratio: contrast(vars[text]!, vars[on]!), least })).filter((p) => p.ratio < p.least);
      expect(failing).toEqual([]);
    });
  }

  it('presentation mode is high contrast: near-black text on white, at least 15:1', () => {
    expect(contrast(THEMES.presentation['--text']!, THEMES.presentation['--bg']!)).toBeGreaterThanOrEqual(15);
    expect(contrast(THEMES.presentation['--muted']!, THEMES.presentation['--panel']!)).toBeGreaterThanOrEqual(10);
    expect(contrast(THEMES.presentation['--accent']!, THEMES.presentation['--panel']!)).toBeGreaterThanOrEqual(7);
  });

  it('the contrast measure is WCAG’s: black on white is 21:1, a colour on itself 1:1', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#777777')).toBe(1);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});
