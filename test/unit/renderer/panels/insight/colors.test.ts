import { describe, expect, it } from 'vitest';
import { blendHeat, confusionShade, diverging, heatPixels, inkOn, viridis } from '../../../../../renderer/panels/insight/colors.js';
import type { DecodedImages } from '../../../../../renderer/charts/pixels.js';

const luminance = ([r, g, b]: readonly number[]) => 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;

describe('colour maps', () => {
  it('runs viridis from dark purple to bright yellow, lighter at every step', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    const steps = Array.from({ length: 21 }, (_, i) => luminance(viridis(i / 20)));
    for (let i = 1; i < steps.length; i++) expect(steps[i]).toBeGreaterThan(steps[i - 1]!);
  });

  it('clamps values outside [0, 1] and treats a non-number as 0', () => {
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
    expect(viridis(Number.NaN)).toEqual(viridis(0));
  });

  it('interpolates between stops', () => {
    // Halfway between the first two stops, [68, 1, 84] and [71, 45, 123].
    expect(viridis(1 / 16)).toEqual([70, 23, 104]);
  });

  it('colours signed scores red for towards, blue for away, white for nothing', () => {
    expect(diverging(0)).toEqual([255, 255, 255]);
    expect(diverging(1)).toEqual([220, 38, 38]);
    expect(diverging(-1)).toEqual([37, 99, 235]);
    const [r, g, b] = diverging(0.5);
    expect(r).toBeGreaterThan(g);
    expect(g).toBe(b);
    expect(diverging(-5)).toEqual(diverging(-1));
  });

  it('shades the diagonal blue and mistakes orange, and lifts small mistakes into sight', () => {
    const right = confusionShade(0.9, true);
    const wrong = confusionShade(0.9, false);
    expect(right[2]).toBeGreaterThan(right[0]);
    expect(wrong[0]).toBeGreaterThan(wrong[2]);
    // 4% of a row off the diagonal is as strong as 20% would be linearly.
    expect(confusionShade(0.04, false)).toEqual([251, 222, 206]);
    expect(confusionShade(0, false)).toEqual([255, 255, 255]);
  });

  it('writes white on dark and dark on light', () => {
    expect(inkOn([20, 20, 60])).toBe('#ffffff');
    expect(inkOn([250, 250, 250])).toBe('#0f172a');
  });
});

describe('heat over an image', () => {
  // A 2×2 grey image: 0, 100, 200, 255.
  const image: DecodedImages = { count: 1, height: 2, width: 2, channels: 1, pixels: Uint8Array.from([0, 100, 200, 255]) };

  it('leaves the image as it is where the heat is 0, and takes the colour map where it is 1 at full opacity', () => {
    const out = blendHeat(image, { height: 2, width: 2, values: [0, 0, 1, 0] }, 1);
    expect(out.channels).toBe(3);
    expect([...out.pixels.subarray(0, 3)]).toEqual([0, 0, 0]);
    expect([...out.pixels.subarray(3, 6)]).toEqual([100, 100, 100]);
    expect([...out.pixels.subarray(6, 9)]).toEqual([253, 231, 37]);
  });

  it('mixes in proportion to opacity', () => {
    const out = blendHeat(image, { height: 2, width: 2, values: [1, 0, 0, 0] }, 0.5);
    expect([...out.pixels.subarray(0, 3)]).toEqual([Math.round(253 / 2), Math.round(231 / 2), Math.round(37 / 2)]);
  });

  it('reads a smaller heat map at the nearest point', () => {
    const big: DecodedImages = { count: 1, height: 4, width: 4, channels: 1, pixels: new Uint8Array(16) };
    const out = blendHeat(big, { height: 2, width: 2, values: [0, 1, 0, 0] }, 1);
    const at = (x: number, y: number) => [...out.pixels.subarray((y * 4 + x) * 3, (y * 4 + x) * 3 + 3)];
    expect(at(3, 0)).toEqual([253, 231, 37]);
    expect(at(2, 1)).toEqual([253, 231, 37]);
    expect(at(1, 1)).toEqual([0, 0, 0]);
    expect(at(3, 2)).toEqual([0, 0, 0]);
  });

  it('draws a heat map alone in viridis', () => {
    const out = heatPixels({ height: 1, width: 2, values: [0, 1] });
    expect([...out.pixels]).toEqual([68, 1, 84, 253, 231, 37]);
  });
});
