import { describe, expect, it } from 'vitest';
import { classCounts, DatasetError, type LoadedDataset, type Split } from '../../../../electron/data/dataset.js';
import { loadSynthetic } from '../../../../electron/data/synthetic.js';

const all = (split: Split) => Array.from({ length: split.count }, (_, i) => i);

/** Every point of both splits with its class. */
function points(data: LoadedDataset): { x: number; y: number; label: number }[] {
  return [data.train, data.test].flatMap((split) => {
    const xy = split.features(all(split));
    return Array.from(split.labels!, (label, i) => ({ x: xy[2 * i]!, y: xy[2 * i + 1]!, label }));
  });
}

describe('2-D point datasets', () => {
  it.each(['spirals', 'xor', 'circles'] as const)('%s: 1,000 points by default, half in each class, a fifth held out', (id) => {
    const data = loadSynthetic(id, {});
    expect(data.kind).toBe('table');
    expect(data.inputShape).toEqual([2]);
    expect(data.train.count).toBe(800);
    expect(data.test.count).toBe(200);
    const train = classCounts(data.train, 2);
    const test = classCounts(data.test, 2);
    expect([train[0]! + test[0]!, train[1]! + test[1]!]).toEqual([500, 500]);
    expect(Math.abs(train[0]! - train[1]!)).toBeLessThan(80);
    expect(data.columns.map((c) => [c.name, c.role])).toEqual([
      ['x', 'feature'],
      ['y', 'feature'],
      ['class', 'target'],
    ]);
    expect(data.columns[2]!.values).toEqual(data.classes);
  });

  it('honours the size and is the same for the same seed, different for another', () => {
    const a = loadSynthetic('spirals', { size: 301, noise: 0.5 });
    const b = loadSynthetic('spirals', { size: 301, noise: 0.5 });
    const c = loadSynthetic('spirals', { size: 301, noise: 0.5 }, 2);
    expect(a.train.count + a.test.count).toBe(301);
    expect(a.train.features(all(a.train))).toEqual(b.train.features(all(b.train)));
    expect(a.train.labels).toEqual(b.train.labels);
    expect(a.train.features(all(a.train))).not.toEqual(c.train.features(all(c.train)));
  });

  it('xor without noise: the class is whether x and y share a sign', () => {
    const data = loadSynthetic('xor', { noise: 0 });
    expect(data.classes).toEqual(['same sign', 'opposite sign']);
    for (const p of points(data)) {
      expect(Math.abs(p.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(p.y)).toBeLessThanOrEqual(1);
      expect(p.label).toBe(p.x * p.y > 0 ? 0 : 1);
    }
    // Noise moves points off their quadrants' labels.
    const noisy = points(loadSynthetic('xor', { noise: 0.3 }));
    expect(noisy.filter((p) => p.label !== (p.x * p.y > 0 ? 0 : 1)).length).toBeGreaterThan(20);
  });

  it('circles without noise: the inner disc ends at radius 0.5, the ring starts at 0.7', () => {
    const data = loadSynthetic('circles', { noise: 0 });
    const radius = (p: { x: number; y: number }) => Math.hypot(p.x, p.y);
    const all = points(data);
    const inner = all.filter((p) => p.label === 0).map(radius);
    const outer = all.filter((p) => p.label === 1).map(radius);
    expect(Math.max(...inner)).toBeLessThan(0.5);
    expect(Math.min(...outer)).toBeGreaterThanOrEqual(0.7 - 1e-6);
    expect(Math.max(...outer)).toBeLessThanOrEqual(1 + 1e-6);
    // Uniform over the disc's area: about a quarter of the inner points lie within half its radius.
    const near = inner.filter((r) => r < 0.25).length / inner.length;
    expect(near).toBeGreaterThan(0.18);
    expect(near).toBeLessThan(0.32);
  });

  it('spirals without noise: every point lies on its spiral, the two half a turn apart', () => {
    const data = loadSynthetic('spirals', { noise: 0 });
    expect(data.classes).toEqual(['spiral A', 'spiral B']);
    for (const p of points(data)) {
      const r = Math.hypot(p.x, p.y);
      expect(r).toBeLessThan(1);
      if (r < 0.01) continue;
      // Each spiral turns 1.75 times from the centre to radius 1.
      const expected = 2 * Math.PI * 1.75 * r + p.label * Math.PI;
      const off = Math.atan2(p.y, p.x) - expected;
      expect(Math.abs(Math.atan2(Math.sin(off), Math.cos(off)))).toBeLessThan(1e-4);
    }
  });

  it('previews training rows as x, y and the class name', () => {
    const data = loadSynthetic('circles', {});
    const preview = data.preview(3);
    if (preview.kind !== 'table') throw new Error(`expected a table preview, got ${preview.kind}`);
    expect(preview.columns).toEqual(['x', 'y', 'class']);
    expect(preview.rows).toHaveLength(3);
    const xy = data.train.features([0, 1, 2]);
    preview.rows.forEach((row, i) => {
      expect(Number(row[0])).toBeCloseTo(xy[2 * i]!, 3);
      expect(Number(row[1])).toBeCloseTo(xy[2 * i + 1]!, 3);
      expect(row[2]).toBe(data.classes![data.train.labels![i]!]);
    });
  });

  it('refuses a size below 20', () => {
    expect(() => loadSynthetic('xor', { size: 5 })).toThrow(DatasetError);
  });
});

describe('sine wave', () => {
  it('cuts 2,000 steps into windows of 32 whose target is the next value, 80% to train and 20% to test', () => {
    const data = loadSynthetic('sine', {});
    expect(data.kind).toBe('sequence');
    expect(data.inputShape).toEqual([32, 1]);
    expect(data.target).toEqual({ kind: 'values', size: 1 });
    expect(data.train.count).toBe(1_600 - 32);
    expect(data.test.count).toBe(400 - 32);
    const windows = data.train.features(all(data.train));
    for (let i = 0; i + 1 < data.train.count; i++) {
      // Window i + 1 is window i moved one step: its last value is window i's target.
      expect(windows[(i + 1) * 32 + 31]).toBe(data.train.values![i]);
      expect(windows[(i + 1) * 32]).toBe(windows[i * 32 + 1]);
    }
    const preview = data.preview(0);
    if (preview.kind !== 'series') throw new Error(`expected a series preview, got ${preview.kind}`);
    expect(preview.values).toHaveLength(500);
    expect(preview.testStart).toBe(400);
    const test = data.test.features([0]);
    // The first test window starts where the held-out part does, at step 1,600 (preview point 400).
    expect(test[0]).toBeCloseTo(preview.values[400]!, 6);
    expect(data.train.features([0])[0]).toBeCloseTo(preview.values[0]!, 6);
  });

  it('without noise is the sine itself, with a period of 50 steps', () => {
    const data = loadSynthetic('sine', { noise: 0, size: 200, length: 10 });
    expect(data.inputShape).toEqual([10, 1]);
    const window = data.train.features([7]);
    window.forEach((v, t) => expect(v).toBeCloseTo(Math.sin((2 * Math.PI * (7 + t)) / 50), 6));
    expect(data.train.values![7]).toBeCloseTo(Math.sin((2 * Math.PI * 17) / 50), 6);
    const again = loadSynthetic('sine', { noise: 0.3, size: 200, length: 10 });
    expect(again.train.values).toEqual(loadSynthetic('sine', { noise: 0.3, size: 200, length: 10 }).train.values);
  });

  it('refuses a series too short for one training window, and reports a missing test window', () => {
    expect(() => loadSynthetic('sine', { size: 20, length: 16 })).toThrow(DatasetError);
    const short = loadSynthetic('sine', { size: 40, length: 8 });
    expect(short.test.count).toBe(0);
    expect(short.problems).toHaveLength(1);
  });
});
