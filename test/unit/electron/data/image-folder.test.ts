import { chmod, mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BENCH_CLASSES, benchFolderComplete, writeBenchFolder } from '../../../../electron/bench/image-folder.js';
import { classCounts, DatasetError, memorySplit, type LoadedDataset } from '../../../../electron/data/dataset.js';
import { folderVersion, loadImageFolder, type ImageFolderSource } from '../../../../electron/data/image-folder.js';
import { imagePreview } from '../../../../electron/data/image-preview.js';
import { encodePng } from '../../../../electron/files/png.js';
import { augmentationSchema } from '../../../../shared/data/source.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A 4×4 gray PNG of one value, so an image's pixels say which file it came from. */
const flat = (value: number): Buffer => encodePng(new Uint8Array(16).fill(value), 4, 4, 1);

async function put(file: string, bytes: Buffer | string): Promise<void> {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), bytes);
}

const source = (extra: Partial<ImageFolderSource> = {}): ImageFolderSource => ({ kind: 'image-folder', path: dir, size: [4, 4], color: 'gray', testFraction: 0.2, ...extra });

/** Each example's first pixel as 0–255, in split order. */
function firstPixels(data: LoadedDataset, split: 'train' | 'test'): number[] {
  const s = data[split];
  const size = 16;
  const pixels = s.features(Array.from({ length: s.count }, (_, i) => i));
  return Array.from({ length: s.count }, (_, i) => Math.round(pixels[i * size]! * 255));
}

describe('loadImageFolder', () => {
  it('reads class folders, skipping what is not an image and leaving out empty classes', async () => {
    for (let i = 1; i <= 5; i++) await put(`cat/c${i}.png`, flat(200));
    for (let i = 1; i <= 4; i++) await put(`bird/b${i}.png`, flat(50));
    const gray = new Uint8Array(16 * 16 * 4).fill(50);
    await put('bird/b5.jpg', jpeg.encode({ data: gray, width: 16, height: 16 }, 100).data);
    await put('cat/notes.txt', 'cats are great');
    await put('cat/fake.png', 'not really a picture');
    await put('cat/.DS_Store', 'finder');
    await mkdir(path.join(dir, 'dog'));
    await put('readme.md', '# pets');

    const data = await loadImageFolder(source());
    expect(data.classes).toEqual(['bird', 'cat']);
    expect(data.problems).toEqual([
      { file: 'readme.md', message: 'readme.md is not in a class folder; it is ignored.' },
      { file: 'cat/fake.png', message: 'fake.png in "cat" is not a PNG or JPEG image; it is skipped.' },
      { file: 'cat/notes.txt', message: 'notes.txt in "cat" is not a PNG or JPEG image; it is skipped.' },
      { file: 'dog', message: 'The class folder "dog" has no images; the class is left out.' },
    ]);
    expect([data.kind, data.name, data.inputShape, data.target]).toEqual(['images', path.basename(dir), [4, 4, 1], { kind: 'classes' }]);
    expect([data.train.count, data.test.count]).toEqual([8, 2]);
    expect(classCounts(data.train, 2)).toEqual([4, 4]);
    expect(classCounts(data.test, 2)).toEqual([1, 1]);
    for (const split of ['train', 'test'] as const) {
      const labels = Array.from(data[split].labels!);
      firstPixels(data, split).forEach((value, i) => expect(Math.abs(value - (labels[i] === 1 ? 200 : 50))).toBeLessThanOrEqual(2));
    }
  });

  it('reports unreadable files with their error code', async () => {
    await put('a/1.png', flat(10));
    await put('a/2.png', flat(20));
    await symlink(path.join(dir, 'nowhere.png'), path.join(dir, 'a', 'gone.png'));
    const data = await loadImageFolder(source());
    expect(data.problems).toEqual([{ file: 'a/gone.png', message: 'gone.png in "a" cannot be read (ENOENT); it is skipped.' }]);
    expect(data.train.count + data.test.count).toBe(2);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file it may not read (EACCES)', async () => {
    await put('a/1.png', flat(10));
    await put('a/secret.png', flat(20));
    await chmod(path.join(dir, 'a', 'secret.png'), 0o000);
    const data = await loadImageFolder(source());
    expect(data.problems).toEqual([{ file: 'a/secret.png', message: 'secret.png in "a" cannot be read (EACCES); it is skipped.' }]);
  });

  it('orders classes naturally and resizes to the size and colours asked for', async () => {
    await put('class10/x.png', flat(255));
    await put('class2/y.png', flat(0));
    await put('class2/z.png', encodePng(Uint8Array.from({ length: 2 * 2 * 3 }, () => 255), 2, 2, 3));
    const data = await loadImageFolder(source({ size: [8, 6], color: 'rgb', testFraction: 0 }));
    expect(data.classes).toEqual(['class2', 'class10']);
    expect(data.inputShape).toEqual([8, 6, 3]);
    expect(data.test.count).toBe(0);
    const pixels = data.train.features([0, 1, 2]);
    expect(pixels.length).toBe(3 * 8 * 6 * 3);
    const means = [0, 1, 2].map((i) => pixels.subarray(i * 144, (i + 1) * 144).reduce((a, b) => a + b, 0) / 144);
    expect(means.map((m, i) => [data.train.labels![i], Math.round(m)]).sort()).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
    ]);
  });

  it('takes the test split from test/ when there are train/ and test/ folders', async () => {
    for (let i = 0; i < 3; i++) await put(`train/ant/${i}.png`, flat(10 + i));
    for (let i = 0; i < 3; i++) await put(`train/bee/${i}.png`, flat(100 + i));
    await put('test/ant/0.png', flat(20));
    await put('test/bee/0.png', flat(110));
    await put('test/bee/1.png', flat(111));
    await put('test/wasp/0.png', flat(250));
    await put('LICENSE', 'free');
    const data = await loadImageFolder(source({ testFraction: 0.5 }));
    expect(data.classes).toEqual(['ant', 'bee']);
    expect([data.train.count, data.test.count]).toEqual([6, 3]);
    expect(firstPixels(data, 'test').sort((a, b) => a - b)).toEqual([20, 110, 111]);
    expect(firstPixels(data, 'train').sort((a, b) => a - b)).toEqual([10, 11, 12, 100, 101, 102]);
    expect(data.problems).toEqual([
      { file: 'LICENSE', message: 'LICENSE is not in "train" or "test"; it is ignored.' },
      { file: 'test/wasp', message: 'The class "wasp" in "test" has no training images in "train"; its test images are left out.' },
    ]);
  });

  it('takes the test split from val/, valid/ or validation/ beside train/, in any letter case, test/ first', async () => {
    for (let i = 0; i < 2; i++) await put(`Train/ant/${i}.png`, flat(10 + i));
    await put('Validation/ant/0.png', flat(30));
    const data = await loadImageFolder(source());
    expect([data.classes, data.train.count, firstPixels(data, 'test'), data.problems]).toEqual([['ant'], 2, [30], []]);
    await put('val/ant/0.png', flat(40));
    await put('TEST/ant/0.png', flat(50));
    const three = await loadImageFolder(source());
    expect(firstPixels(three, 'test')).toEqual([50]);
    expect(three.problems).toEqual([
      { file: 'val', message: 'The folder "val" is beside "Train" and "TEST" and is not used.' },
      { file: 'Validation', message: 'The folder "Validation" is beside "Train" and "TEST" and is not used.' },
    ]);
  });

  it('reads the classes inside train/ when it is the only folder, holding out testFraction of each', async () => {
    for (let i = 0; i < 4; i++) await put(`train/ant/${i}.png`, flat(10 + i));
    for (let i = 0; i < 4; i++) await put(`train/bee/${i}.png`, flat(100 + i));
    await put('train/bee/notes.txt', 'bees');
    await put('README.md', 'ants and bees');
    const data = await loadImageFolder(source({ testFraction: 0.25 }));
    expect(data.classes).toEqual(['ant', 'bee']);
    expect([data.train.count, data.test.count]).toEqual([6, 2]);
    expect(classCounts(data.test, 2)).toEqual([1, 1]);
    expect(data.problems).toEqual([
      { file: 'README.md', message: 'README.md is not in "train"; it is ignored.' },
      { file: 'train/bee/notes.txt', message: 'notes.txt in "train/bee" is not a PNG or JPEG image; it is skipped.' },
    ]);
    await rm(path.join(dir, 'train', 'ant'), { recursive: true });
    await rm(path.join(dir, 'train', 'bee'), { recursive: true });
    await expect(loadImageFolder(source())).rejects.toThrow(`${path.join(dir, 'train')} has no class folders with images.`);
  });

  it('splits the same folder the same way every time, mixing the classes', async () => {
    for (let i = 0; i < 20; i++) await put(`a/${i}.png`, flat(i));
    for (let i = 0; i < 20; i++) await put(`b/${i}.png`, flat(100 + i));
    const first = await loadImageFolder(source({ testFraction: 0.25 }));
    const second = await loadImageFolder(source({ testFraction: 0.25 }));
    expect(firstPixels(first, 'train')).toEqual(firstPixels(second, 'train'));
    expect(firstPixels(first, 'test')).toEqual(firstPixels(second, 'test'));
    expect(classCounts(first.test, 2)).toEqual([5, 5]);
    const labels = Array.from(first.train.labels!);
    expect(labels.slice(0, 10)).toContain(0);
    expect(labels.slice(0, 10)).toContain(1);
  });

  it('refuses a folder without any class of images, with the problems', async () => {
    await mkdir(path.join(dir, 'empty'));
    await put('words/a.txt', 'hello');
    const error = await loadImageFolder(source()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).message).toBe(`${dir} has no class folders with images. Put each class's PNG or JPEG images in a sub-folder named after the class.`);
    expect((error as DatasetError).problems.map((p) => p.file)).toEqual(['words/a.txt', 'empty', 'words']);
    await expect(loadImageFolder(source({ path: path.join(dir, 'missing') }))).rejects.toThrow(
      `The image folder ${path.join(dir, 'missing')} does not exist (ENOENT). Choose a folder with one sub-folder of images per class.`,
    );
  });
});

describe('keeping the scan of a folder', () => {
  it('scans a folder once for every size and colour at one version, and again at another', async () => {
    for (let i = 0; i < 3; i++) await put(`a/${i}.png`, flat(10 + i));
    for (let i = 0; i < 3; i++) await put(`b/${i}.png`, flat(100 + i));
    const first = await loadImageFolder(source({ size: [4, 4], color: 'gray' }), 'v1');
    await put('a/broken.png', 'not a picture');
    const resized = await loadImageFolder(source({ size: [8, 6], color: 'rgb' }), 'v1');
    expect(resized.inputShape).toEqual([8, 6, 3]);
    expect([resized.train.count, resized.test.count, resized.problems]).toEqual([first.train.count, first.test.count, []]);
    expect(resized.train.features([0]).length).toBe(8 * 6 * 3);
    const rescanned = await loadImageFolder(source(), 'v2');
    expect(rescanned.problems).toEqual([{ file: 'a/broken.png', message: 'broken.png in "a" is not a PNG or JPEG image; it is skipped.' }]);
  });

  it('rescans on its own when the files change, without a version given', async () => {
    for (let i = 0; i < 2; i++) await put(`a/${i}.png`, flat(i));
    const before = await loadImageFolder(source());
    expect(before.problems).toEqual([]);
    await put('a/extra.txt', 'hello');
    const after = await loadImageFolder(source({ color: 'rgb' }));
    expect(after.problems).toEqual([{ file: 'a/extra.txt', message: 'extra.txt in "a" is not a PNG or JPEG image; it is skipped.' }]);
  });

  it('versions a folder by the names, sizes and times of its files three levels deep, hidden files aside', async () => {
    await put('train/cat/1.png', flat(1));
    await put('train/cat/deeper/x.png', flat(1));
    await put('test/cat/1.png', flat(1));
    const version = await folderVersion(dir);
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect(await folderVersion(dir)).toBe(version);
    await put('train/cat/.DS_Store', 'finder');
    await put('train/cat/deeper/y.png', flat(2));
    expect(await folderVersion(dir)).toBe(version);
    await put('train/cat/1.png', encodePng(new Uint8Array(64), 8, 8, 1));
    const resized = await folderVersion(dir);
    expect(resized).not.toBe(version);
    await rename(path.join(dir, 'test', 'cat'), path.join(dir, 'test', 'dog'));
    expect(await folderVersion(dir)).not.toBe(resized);
    expect(await folderVersion(path.join(dir, 'missing'))).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('streaming an image folder', () => {
  async function tenImages(): Promise<{ data: LoadedDataset; indexOf: Map<number, number> }> {
    for (let i = 0; i < 10; i++) await put(`${i < 5 ? 'low' : 'high'}/${i}.png`, flat(i * 20));
    const data = await loadImageFolder(source({ testFraction: 0 }));
    const indexOf = new Map(firstPixels(data, 'train').map((v, i) => [v / 20, i]));
    return { data, indexOf };
  }

  it('decodes just the images asked for, from disk, on every call', async () => {
    const { data, indexOf } = await tenImages();
    expect([...indexOf.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const seven = indexOf.get(7)!;
    const two = indexOf.get(2)!;
    const batch = data.train.features([seven, two, seven]);
    expect(Array.from(batch.subarray(0, 16), (v) => Math.round(v * 255))).toEqual(new Array(16).fill(140));
    expect(Array.from(batch.subarray(16, 32), (v) => Math.round(v * 255))).toEqual(new Array(16).fill(40));
    expect(batch.subarray(32)).toEqual(batch.subarray(0, 16));
    expect(Array.from(data.train.labels!.filter((_, i) => i === seven || i === two))).toEqual(seven < two ? [0, 1] : [1, 0]);
    await put('high/7.png', flat(33));
    expect(Math.round(data.train.features([seven])[5]! * 255)).toBe(33);
  });

  it('gives zeros for a file that breaks after scanning, and reports it once', async () => {
    const { data, indexOf } = await tenImages();
    const damaged = flat(60);
    damaged.fill(0x55, 41, 50);
    await put('low/3.png', damaged);
    await rm(path.join(dir, 'high', '9.png'));
    const batch = (): Float32Array => data.train.features([indexOf.get(3)!, indexOf.get(4)!, indexOf.get(9)!]);
    const pixels = batch();
    expect(pixels.subarray(0, 16).every((v) => v === 0)).toBe(true);
    expect(Math.round(pixels[16]! * 255)).toBe(80);
    expect(pixels.subarray(32).every((v) => v === 0)).toBe(true);
    batch();
    expect(data.problems).toEqual([
      { file: 'low/3.png', message: 'low/3.png is a damaged PNG image: its pixel data is damaged. It is used as an all-black image.' },
      { file: 'high/9.png', message: 'high/9.png cannot be read any more (ENOENT). It is used as an all-black image.' },
    ]);
  });
});

describe('image previews', () => {
  it('shows training images of every class in turn as 8-bit pixels', async () => {
    for (let i = 0; i < 4; i++) await put(`bird/${i}.png`, flat(50));
    for (let i = 0; i < 4; i++) await put(`cat/${i}.png`, flat(200));
    const data = await loadImageFolder(source({ testFraction: 0 }));
    const preview = data.preview(4);
    if (preview.kind !== 'images') throw new Error(`expected an images preview, got ${preview.kind}`);
    expect([preview.count, preview.height, preview.width, preview.channels, preview.augmented]).toEqual([4, 4, 4, 1, null]);
    expect(preview.labels).toEqual(['bird', 'cat', 'bird', 'cat']);
    const bytes = Buffer.from(preview.pixels, 'base64');
    expect(bytes.length).toBe(4 * 16);
    expect([bytes[0], bytes[16], bytes[32], bytes[48]]).toEqual([50, 200, 50, 200]);
  });

  it('adds the same images augmented, the same each time', () => {
    const pixels = Float32Array.from({ length: 6 * 3 * 4 }, (_, i) => (i % 12) / 12);
    const split = memorySplit(pixels, 12, { labels: Int32Array.from([0, 0, 0, 1, 1, 2]) });
    const flip = augmentationSchema.parse({ flip: true });
    const a = imagePreview(split, [3, 4], ['x', 'y', 'z'], 5, flip);
    const b = imagePreview(split, [3, 4], ['x', 'y', 'z'], 5, flip);
    if (a.kind !== 'images' || b.kind !== 'images') throw new Error('expected images previews');
    expect(a.labels).toEqual(['x', 'y', 'z', 'x', 'y']);
    expect(a.augmented).not.toBeNull();
    expect(a.augmented).toBe(b.augmented);
    expect(a.augmented).not.toBe(a.pixels);
    const mirrored = imagePreview(split, [3, 4, 1], null, 1, flip, () => 0);
    if (mirrored.kind !== 'images') throw new Error('expected an images preview');
    expect(Array.from(Buffer.from(mirrored.augmented!, 'base64').subarray(0, 4))).toEqual([64, 43, 21, 0]);
    expect(mirrored.labels).toEqual(['0']);
    expect(() => imagePreview(split, [2, 3, 2], null, 1, null)).toThrow('Images of shape [2, 3, 2] cannot be shown');
  });
});

describe('the generated benchmark folder', () => {
  it('writes learnable classes of 28×28 PNGs that load as an image folder', async () => {
    await writeBenchFolder(dir, 3);
    expect(await benchFolderComplete(dir, 3)).toBe(true);
    expect(await benchFolderComplete(dir, 4)).toBe(false);
    const data = await loadImageFolder(source({ size: [28, 28], testFraction: 0 }));
    expect([...data.classes!].sort()).toEqual([...BENCH_CLASSES].sort());
    expect(data.train.count).toBe(30);
    expect(data.problems).toEqual([]);
    const pixels = data.train.features([0]);
    expect(Math.max(...pixels)).toBeGreaterThan(0.5);
  });
});
