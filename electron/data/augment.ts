import { seededNormal } from './random.js';
import { augments, type Augmentation } from '../../shared/data/source.js';

/** How one image is moved: mirrored or not, shifted by whole pixels, turned by an angle in radians. */
interface Move {
  flip: boolean;
  dx: number;
  dy: number;
  angle: number;
}

/** A number in [-limit, limit]. */
const either = (limit: number, random: () => number): number => (2 * random() - 1) * limit;

function drawMove(a: Augmentation, height: number, width: number, random: () => number): Move {
  const flip = a.flip && random() < 0.5;
  const dx = a.shift > 0 ? Math.round(either(a.shift * width, random)) : 0;
  const dy = a.shift > 0 ? Math.round(either(a.shift * height, random)) : 0;
  const angle = a.rotate > 0 ? (either(a.rotate, random) * Math.PI) / 180 : 0;
  return { flip, dx, dy, angle };
}

/**
 * Mirrors, then turns about the centre (positive angles counterclockwise as the image is shown),
 * then shifts: each output pixel is read back from where it came, between pixels bilinearly,
 * and is black (zero) where it came from outside the image.
 */
function move(image: Float32Array, out: Float32Array, [height, width, channels]: readonly [number, number, number], m: Move): void {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(m.angle);
  const sin = Math.sin(m.angle);
  const at = (x: number, y: number, k: number): number => (x >= 0 && x < width && y >= 0 && y < height ? image[(y * width + x) * channels + k]! : 0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const X = x - m.dx - cx;
      const Y = y - m.dy - cy;
      const turnedX = X * cos - Y * sin + cx;
      const sy = X * sin + Y * cos + cy;
      const sx = m.flip ? width - 1 - turnedX : turnedX;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const tx = sx - x0;
      const ty = sy - y0;
      for (let k = 0; k < channels; k++) {
        const top = at(x0, y0, k) * (1 - tx) + (tx > 0 ? at(x0 + 1, y0, k) * tx : 0);
        const bottom = ty > 0 ? at(x0, y0 + 1, k) * (1 - tx) + (tx > 0 ? at(x0 + 1, y0 + 1, k) * tx : 0) : 0;
        out[(y * width + x) * channels + k] = top * (1 - ty) + bottom * ty;
      }
    }
  }
}

/** Adds Gaussian noise of standard deviation `std` and keeps every pixel in [0, 1]. */
function addNoise(pixels: Float32Array, std: number, random: () => number): void {
  const noise = seededNormal(pixels.length, random);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(0, pixels[i]! + std * noise[i]!));
}

/**
 * A training batch of `count` images of `shape` (height, width, channels; pixels in [0, 1])
 * augmented image by image: mirrored left to right with probability one half, shifted by up
 * to `shift` of the size each way, turned by up to `rotate` degrees either way, then given
 * noise. Returns a new array, or `pixels` itself when the augmentation does nothing. The same
 * `random` stream gives the same batch.
 */
export function augmentImages(pixels: Float32Array, count: number, shape: readonly [number, number, number], a: Augmentation, random: () => number): Float32Array {
  if (!augments(a)) return pixels;
  const [height, width, channels] = shape;
  const size = height * width * channels;
  const out = new Float32Array(count * size);
  for (let n = 0; n < count; n++) {
    const image = pixels.subarray(n * size, (n + 1) * size);
    const target = out.subarray(n * size, (n + 1) * size);
    const m = drawMove(a, height, width, random);
    if (m.flip || m.dx !== 0 || m.dy !== 0 || m.angle !== 0) move(image, target, shape, m);
    else target.set(image);
    if (a.noise > 0) addNoise(target, a.noise, random);
  }
  return out;
}
