import type { DecodedImage } from './decode.js';

/** The colours an image becomes for the network: one gray channel, or three. */
export type PixelColor = 'gray' | 'rgb';

/** The source pixels one output pixel averages along one axis, with their weights (which sum to 1). */
interface Taps {
  index: number[];
  weight: number[];
}

/**
 * Along one axis: bilinear interpolation between pixel centres while enlarging or shrinking up
 * to 2×, and the average of the covered pixels (area) when shrinking further, so that
 * details thinner than an output pixel still count instead of being skipped.
 */
function axisTaps(source: number, target: number): Taps[] {
  const scale = source / target;
  return Array.from({ length: target }, (_, o) => {
    if (scale > 2) {
      const lo = o * scale;
      const hi = (o + 1) * scale;
      const taps: Taps = { index: [], weight: [] };
      for (let i = Math.floor(lo); i < Math.min(source, Math.ceil(hi)); i++) {
        taps.index.push(i);
        taps.weight.push((Math.min(hi, i + 1) - Math.max(lo, i)) / scale);
      }
      return taps;
    }
    const centre = Math.min(source - 1, Math.max(0, (o + 0.5) * scale - 0.5));
    const i = Math.floor(centre);
    const t = centre - i;
    return t > 0 ? { index: [i, i + 1], weight: [1 - t, t] } : { index: [i], weight: [1] };
  });
}

/**
 * One source row in the output's colours, as floats in [0, 1]. Transparent pixels are laid
 * over black, the same black that augmentation's shifts and rotations fill in; gray is the
 * luma 0.299 R + 0.587 G + 0.114 B, and a gray image read as RGB repeats its value.
 */
function convertRow(image: DecodedImage, y: number, color: PixelColor, row: Float32Array): void {
  const { width, channels: sc, data } = image;
  const c = color === 'gray' ? 1 : 3;
  for (let x = 0, at = y * width * sc; x < width; x++, at += sc) {
    const alpha = sc === 4 ? data[at + 3]! / 255 : 1;
    const r = (data[at]! / 255) * alpha;
    const g = sc === 1 ? r : (data[at + 1]! / 255) * alpha;
    const b = sc === 1 ? r : (data[at + 2]! / 255) * alpha;
    if (c === 1) row[x] = sc === 1 ? r : 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      row[x * 3] = r;
      row[x * 3 + 1] = g;
      row[x * 3 + 2] = b;
    }
  }
}

/**
 * Writes an image resized to height × width in the given colours into `out` from `offset`:
 * floats in [0, 1], row after row, channel after channel within a pixel (HWC), as a network's
 * image input takes them.
 */
export function toTensorPixels(image: DecodedImage, height: number, width: number, color: PixelColor, out: Float32Array, offset: number): void {
  const c = color === 'gray' ? 1 : 3;
  const size = height * width * c;
  if (offset + size > out.length) throw new Error(`There is room for ${out.length - offset} values but a ${height}×${width} image needs ${size}.`);
  const across = axisTaps(image.width, width);
  const down = axisTaps(image.height, height);
  const usedBy = Array.from({ length: image.height }, () => [] as Array<{ row: number; weight: number }>);
  down.forEach((taps, row) => taps.index.forEach((i, k) => usedBy[i]!.push({ row, weight: taps.weight[k]! })));
  const source = new Float32Array(image.width * c);
  const resized = new Float32Array(width * c);
  out.fill(0, offset, offset + size);
  for (let y = 0; y < image.height; y++) {
    const targets = usedBy[y]!;
    if (targets.length === 0) continue;
    convertRow(image, y, color, source);
    resized.fill(0);
    for (let x = 0; x < width; x++) {
      const taps = across[x]!;
      for (let k = 0; k < taps.index.length; k++) {
        const from = taps.index[k]! * c;
        const w = taps.weight[k]!;
        for (let ch = 0; ch < c; ch++) resized[x * c + ch]! += w * source[from + ch]!;
      }
    }
    for (const { row, weight } of targets) {
      const at = offset + row * width * c;
      for (let i = 0; i < width * c; i++) out[at + i]! += weight * resized[i]!;
    }
  }
}
