import { InputError } from '../data/dataset.js';
import type { DecodedImage } from '../data/images/decode.js';
import { toTensorPixels } from '../data/images/resize.js';
import type { ImageBatch } from '../../shared/api/images.js';
import { MAX_INPUT_PIXELS } from '../../shared/api/insight.js';

/**
 * Pictures a person gives the network: a drawing prepared as MNIST's digits were, or any
 * image resized to the network's input; and the 8-bit batches pictures travel in.
 */

/** MNIST's field and the box its digits were scaled into. */
export const MNIST_FIELD = 28;
export const MNIST_BOX = 20;
/** Where MNIST's digits have their centre of mass, in pixel edges: the middle of pixel (14, 14). */
export const MNIST_CENTRE = MNIST_FIELD / 2 + 0.5;
/** Gray levels up to this are background, not ink: a pad's faint anti-aliasing at the edge of nothing. */
const INK = 0.05;

/** An image resized to height × width in 1 (gray) or 3 (RGB) channels: floats in [0, 1], row after row (HWC). */
export function fitImage(image: DecodedImage, height: number, width: number, channels: number): Float32Array {
  if (channels !== 1 && channels !== 3) throw new InputError(`image: the network takes ${channels} channels a pixel, and a picture has 1 (gray) or 3 (colour)`);
  const out = new Float32Array(height * width * channels);
  toTensorPixels(image, height, width, channels === 1 ? 'gray' : 'rgb', out, 0);
  return out;
}

/** The centre of mass of gray pixels (height × width), in pixel edges: (0, 0) is the top left corner; null when all are 0. */
export function centreOfMass(pixels: ArrayLike<number>, height: number, width: number): { y: number; x: number } | null {
  let mass = 0;
  let sy = 0;
  let sx = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x]!;
      mass += v;
      sy += v * (y + 0.5);
      sx += v * (x + 0.5);
    }
  }
  return mass > 0 ? { y: sy / mass, x: sx / mass } : null;
}

/** The rows and columns holding ink, as a box. */
function inkBox(gray: Float32Array, height: number, width: number): { top: number; left: number; bottom: number; right: number } | null {
  let top = height;
  let left = width;
  let bottom = -1;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (gray[y * width + x]! <= INK) continue;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      if (x < left) left = x;
      if (x > right) right = x;
    }
  }
  return bottom < 0 ? null : { top, left, bottom, right };
}

/** The part of an image inside a box, as an image of its own. */
function crop(image: DecodedImage, top: number, left: number, height: number, width: number): DecodedImage {
  const c = image.channels;
  const data = new Uint8Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * c;
    data.set(image.data.subarray(from, from + width * c), y * width * c);
  }
  return { width, height, channels: c, data };
}

/**
 * A drawing (light strokes on dark, any size, gray or colour) as MNIST's digits were made:
 * cropped to its ink, scaled keeping its aspect ratio so its larger side is 20 pixels
 * (anti-aliased), its brightest pixel made full white, and placed in a 28 × 28 field so its
 * centre of mass is on pixel (14, 14), where MNIST's digits have theirs, as near as whole
 * pixels allow without cutting any of it off. 784 gray values in [0, 1].
 */
export function mnistDigit(image: DecodedImage, what = 'drawing'): Float32Array {
  const gray = fitImage(image, image.height, image.width, 1);
  const box = inkBox(gray, image.height, image.width);
  if (!box) {
    throw new InputError(what === 'drawing' ? 'drawing: nothing is drawn on it; draw a digit in light strokes on the dark pad' : `${what}: there is no digit in it, only one even colour`);
  }
  const boxHeight = box.bottom - box.top + 1;
  const boxWidth = box.right - box.left + 1;
  const scale = MNIST_BOX / Math.max(boxHeight, boxWidth);
  const height = Math.max(1, Math.min(MNIST_BOX, Math.round(boxHeight * scale)));
  const width = Math.max(1, Math.min(MNIST_BOX, Math.round(boxWidth * scale)));
  const digit = fitImage(crop(image, box.top, box.left, boxHeight, boxWidth), height, width, 1);
  let brightest = 0;
  for (const v of digit) brightest = Math.max(brightest, v);
  // Thin strokes shrink to gray; MNIST's pen strokes are full white.
  if (brightest > 0) for (let i = 0; i < digit.length; i++) digit[i] = Math.min(1, digit[i]! / brightest);
  const centre = centreOfMass(digit, height, width)!;
  // A lopsided digit moves no further than keeps all of it in the field.
  const top = Math.min(MNIST_FIELD - height, Math.max(0, Math.round(MNIST_CENTRE - centre.y)));
  const left = Math.min(MNIST_FIELD - width, Math.max(0, Math.round(MNIST_CENTRE - centre.x)));
  const field = new Float32Array(MNIST_FIELD * MNIST_FIELD);
  for (let y = 0; y < height; y++) {
    const fy = top + y;
    if (fy < 0 || fy >= MNIST_FIELD) continue;
    for (let x = 0; x < width; x++) {
      const fx = left + x;
      if (fx >= 0 && fx < MNIST_FIELD) field[fy * MNIST_FIELD + fx] = digit[y * width + x]!;
    }
  }
  return field;
}

/**
 * A picture of a digit as MNIST's are, light ink on dark: one mostly light (a digit written on
 * paper, or drawn dark on white) is inverted, as a whole, gray.
 */
export function lightOnDark(image: DecodedImage): DecodedImage {
  const gray = fitImage(image, image.height, image.width, 1);
  let sum = 0;
  for (const v of gray) sum += v;
  if (sum / gray.length <= 0.5) return image;
  return { width: image.width, height: image.height, channels: 1, data: Uint8Array.from(gray, (v) => Math.round((1 - v) * 255)) };
}

/** A page's picture as an image, refused with a message naming `what` when it is not one picture of a size the network may be given. */
export function imageFromBatch(batch: ImageBatch, what: string): DecodedImage {
  const { count, height, width, channels } = batch;
  if (count !== 1) throw new InputError(`${what}: one picture is needed, not ${count}`);
  if (!(height >= 1 && width >= 1)) throw new InputError(`${what}: a picture of ${width} × ${height} pixels has no pixels`);
  if (height * width > MAX_INPUT_PIXELS) {
    throw new InputError(`${what}: the picture is ${width} × ${height} pixels, more than the ${MAX_INPUT_PIXELS.toLocaleString('en')} a picture may have; make it smaller`);
  }
  const data = new Uint8Array(Buffer.from(batch.pixels, 'base64'));
  const expected = height * width * channels;
  if (data.length !== expected) throw new InputError(`${what}: ${width} × ${height} pixels of ${channels} channel${channels === 1 ? '' : 's'} are ${expected} bytes, but the picture holds ${data.length}`);
  return { width, height, channels, data };
}

export { toImageBatch } from '../data/images/batch.js';
