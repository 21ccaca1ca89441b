import type { HeatMap } from '../../../shared/api/insight.js';
import type { DecodedImages } from '../../charts/pixels.js';

export type Rgb = readonly [number, number, number];

/**
 * Viridis, sampled at nine even stops: dark to bright in even steps of perceived lightness,
 * readable by people who do not tell red from green, and still ordered when printed grey.
 */
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [71, 45, 123],
  [59, 82, 139],
  [44, 114, 142],
  [33, 145, 140],
  [40, 174, 128],
  [94, 201, 98],
  [173, 220, 48],
  [253, 231, 37],
];

const clamp01 = (t: number) => (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0);

/** The colour of `t` in [0, 1] on viridis; values outside are clamped, a non-number is 0. */
export function viridis(t: number): Rgb {
  const x = clamp01(t) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

export const css = ([r, g, b]: Rgb, alpha = 1) => (alpha >= 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${Number(alpha.toFixed(3))})`);

/** Text that stays readable on a background: white on dark, near black on light. */
export function inkOn([r, g, b]: Rgb): string {
  // Relative luminance, as WCAG weighs the channels.
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 140 ? '#ffffff' : '#0f172a';
}

const WHITE: Rgb = [255, 255, 255];
const RED: Rgb = [220, 38, 38];
const BLUE: Rgb = [37, 99, 235];
const ORANGE: Rgb = [234, 88, 12];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];

/** A signed score in [−1, 1]: red for what pushed towards the answer, blue for what pushed away, white for nothing. */
export function diverging(score: number): Rgb {
  const s = Number.isFinite(score) ? Math.max(-1, Math.min(1, score)) : 0;
  return s >= 0 ? mix(WHITE, RED, s) : mix(WHITE, BLUE, -s);
}

/**
 * A confusion matrix cell's colour from its share of its row: blue on the diagonal (right
 * answers), orange off it (mistakes), so a row's mistakes stand out however many it has.
 */
export function confusionShade(fraction: number, diagonal: boolean): Rgb {
  const t = clamp01(fraction);
  // Off the diagonal a few percent already matters: the square root lifts small shares into sight.
  return diagonal ? mix(WHITE, BLUE, t) : mix(WHITE, ORANGE, Math.sqrt(t));
}

/**
 * The image with the heat map blended over it: each pixel takes the heat's viridis colour
 * in proportion to its heat times `opacity`, so what did not matter shows the image as it is.
 * A heat map of another size is read at the nearest point; the result is RGB at the image's size.
 */
export function blendHeat(image: DecodedImages, heat: HeatMap, opacity: number): DecodedImages {
  const { height: h, width: w, channels } = image;
  const out = new Uint8Array(h * w * 3);
  const alpha = clamp01(opacity);
  for (let y = 0; y < h; y++) {
    const hy = Math.min(heat.height - 1, Math.floor(((y + 0.5) * heat.height) / h));
    for (let x = 0; x < w; x++) {
      const hx = Math.min(heat.width - 1, Math.floor(((x + 0.5) * heat.width) / w));
      const value = clamp01(heat.values[hy * heat.width + hx] ?? 0);
      const colour = viridis(value);
      const a = alpha * value;
      const src = (y * w + x) * channels;
      const dst = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const base = image.pixels[src + (channels === 3 ? c : 0)]!;
        out[dst + c] = Math.round(base * (1 - a) + colour[c]! * a);
      }
    }
  }
  return { count: 1, height: h, width: w, channels: 3, pixels: out };
}

/** A heat map drawn in viridis alone, as RGB pixels: a sequence's activations, an attention head. */
export function heatPixels(heat: HeatMap): DecodedImages {
  const out = new Uint8Array(heat.height * heat.width * 3);
  for (let i = 0; i < heat.height * heat.width; i++) out.set(viridis(heat.values[i] ?? 0), i * 3);
  return { count: 1, height: heat.height, width: heat.width, channels: 3, pixels: out };
}
