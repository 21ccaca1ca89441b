import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTORCH_WRITER } from '../../../../electron/export/pytorch/index.js';
import { trainingFiles, trainingReadme } from '../../../../electron/export/pytorch/train.js';
import { augmentImages } from '../../../../electron/data/augment.js';
import { naturally } from '../../../../electron/data/dataset.js';
import { loadImageFolder } from '../../../../electron/data/image-folder.js';
import { loadNpy } from '../../../../electron/data/npy.js';
import { seededRandom } from '../../../../electron/data/random.js';
import { writeFolderFiles } from '../../../../electron/files/export-folder.js';
import { encodePng, pngChunk } from '../../../../electron/files/png.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { LoadedDataset } from '../../../../electron/data/dataset.js';
import { augmentationSchema, imageFolderSourceSchema, npySourceSchema, type Augmentation, type DatasetSource, type SourceOf } from '../../../../shared/data/source.js';
import { trainingDefaultsSchema, type Project } from '../../../../shared/project/schema.js';
import { chain, node } from '../../../fixtures/graphs.js';
import { compiledWithRandomWeights, maxDifference, pythonWith, runPython } from './harness.js';

/**
 * train_data.py of a PyTorch export reads image folders and .npy files as NetCanvas does: the
 * same classes, labels, examples in the same order and the same pixels; train.py trains on an
 * image folder with augmentation, which follows NetCanvas's draw for draw. All the reading is
 * checked in one Python process, training in a second.
 */

const check = pythonWith(['torch', 'numpy', 'PIL']);
const python = check.python!;
const root = mkdtempSync(path.join(tmpdir(), 'netcanvas-sources-'));

const all = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A small seeded generator for the test's pictures. */
function pictureRandom(seed: number): () => number {
  return seededRandom(seed);
}

/** An 8-bit RGBA PNG, which encodePng does not write. */
function rgbaPng(pixels: Uint8Array, width: number, height: number): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 6;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0))]);
}

/** The classes, each a colour its pictures lean to: a network learns them from a few pictures, flipped or shifted. */
const CLASSES = { Blob: [220, 40, 40], shape9: [40, 200, 40], shape10: [40, 60, 230] } as const;
/** Sizes that enlarge, shrink a little and shrink more than twice (averaging) to 16 × 16. */
const SIZES: [number, number][] = [
  [10, 14],
  [20, 24],
  [40, 33],
  [16, 16],
  [7, 9],
  [25, 50],
];

/**
 * An image folder of three classes (natural order of names differs from code points), PNGs of
 * gray, RGB and RGBA of different sizes, a JPEG, and what NetCanvas skips: a text file, a hidden
 * file, a damaged PNG and a stray file beside the class folders.
 */
function writeImageFolder(folder: string): void {
  const random = pictureRandom(42);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'README.txt'), 'stray file\n');
  for (const [name, colour] of Object.entries(CLASSES)) {
    const dir = path.join(folder, name);
    mkdirSync(dir);
    for (let i = 1; i <= 12; i++) {
      const [h, w] = SIZES[i % SIZES.length]!;
      const channels = i % 5 === 0 ? 1 : i === 7 ? 4 : 3;
      const pixels = new Uint8Array(h * w * channels);
      for (let p = 0; p < h * w; p++) {
        for (let c = 0; c < channels; c++) {
          const base = c === 3 ? 128 + 100 * Math.sin(p) : channels === 1 ? (colour[0] + colour[1] * 2 + colour[2]) / 4 : colour[c]!;
          pixels[p * channels + c] = Math.max(0, Math.min(255, Math.round(base + (random() - 0.5) * 90)));
        }
      }
      const file = path.join(dir, `img${i}.png`);
      writeFileSync(file, channels === 4 ? rgbaPng(pixels, w, h) : encodePng(pixels, w, h, channels as 1 | 3));
    }
    const [h, w] = [30, 22];
    const rgba = new Uint8Array(h * w * 4);
    for (let p = 0; p < h * w; p++) {
      for (let c = 0; c < 3; c++) rgba[p * 4 + c] = Math.round(colour[c]! * (0.6 + 0.4 * Math.cos(p / 9)));
      rgba[p * 4 + 3] = 255;
    }
    writeFileSync(path.join(dir, 'photo.jpg'), jpeg.encode({ data: rgba, width: w, height: h }, 90).data);
    writeFileSync(path.join(dir, 'notes.txt'), 'not an image\n');
    writeFileSync(path.join(dir, '.hidden.png'), encodePng(new Uint8Array(16 * 3), 4, 4, 3));
  }
  const damaged = encodePng(new Uint8Array(8 * 8 * 3).fill(9), 8, 8, 3);
  writeFileSync(path.join(folder, 'shape9', 'broken.png'), damaged.subarray(0, damaged.length - 30));
}

/** A .npy file of any element type, from its raw little-endian bytes. */
function npyFile(file: string, descr: string, data: ArrayBufferView, shape: readonly number[]): void {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += `${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const head = Buffer.alloc(10 + header.length);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head.writeUInt16LE(header.length, 8);
  head.write(header, 10, 'latin1');
  writeFileSync(file, Buffer.concat([head, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

/** .npy datasets of each layout loadNpy tells apart, with the awkward cases: NaNs, one-hot rows, a row without a target, 0/1 images. */
function writeNpyFiles(folder: string): SourceOf<'npy'>[] {
  const random = pictureRandom(7);
  const file = (name: string) => path.join(folder, name);
  mkdirSync(folder, { recursive: true });
  // Byte images (n, h, w) with class numbers.
  npyFile(file('digits.npy'), '|u1', Uint8Array.from({ length: 20 * 6 * 5 }, () => Math.floor(random() * 256)), [20, 6, 5]);
  npyFile(file('digits-labels.npy'), '<i8', BigInt64Array.from({ length: 20 }, (_, i) => BigInt(i % 3)), [20]);
  // A float64 table with a NaN, one-hot float32 targets, one row of them NaN.
  const table = Float64Array.from({ length: 30 * 4 }, () => random() * 10 - 5);
  table[9] = Number.NaN;
  npyFile(file('table.npy'), '<f8', table, [30, 4]);
  const oneHot = new Float32Array(30 * 3);
  for (let i = 0; i < 30; i++) oneHot[i * 3 + ((i * 7) % 3)] = 1;
  oneHot[4 * 3 + 1] = Number.NaN;
  npyFile(file('table-labels.npy'), '<f4', oneHot, [30, 3]);
  // Images of 0s and 1s with a channel axis and no labels (one class, for autoencoders).
  npyFile(file('masks.npy'), '<f4', Float32Array.from({ length: 16 * 5 * 5 * 1 }, () => (random() < 0.5 ? 0 : 1)), [16, 5, 5, 1]);
  // Sequences of fractions with two values to fit each.
  npyFile(file('series.npy'), '<f4', Float32Array.from({ length: 25 * 3 * 2 }, () => random() * 3), [25, 3, 2]);
  npyFile(file('series-values.npy'), '<f4', Float32Array.from({ length: 25 * 2 }, () => random() - 0.5), [25, 2]);
  return [
    npySourceSchema.parse({ kind: 'npy', path: file('digits.npy'), labels: file('digits-labels.npy'), testFraction: 0.25 }),
    npySourceSchema.parse({ kind: 'npy', path: file('table.npy'), labels: file('table-labels.npy') }),
    npySourceSchema.parse({ kind: 'npy', path: file('masks.npy'), testFraction: 0.5 }),
    npySourceSchema.parse({ kind: 'npy', path: file('series.npy'), labels: file('series-values.npy'), testFraction: 0.2 }),
  ];
}

/** A tiny CNN for 16 × 16 colour pictures of the three classes. */
function cnnProject(dataset: DatasetSource, augmentation?: Augmentation): Project {
  const graph = chain(
    node('in', 'Input', { shape: [16, 16, 3] }),
    node('conv', 'Conv2D', { filters: 4, kernelSize: [3, 3], activation: 'relu' }),
    node('pool', 'MaxPooling2D', { poolSize: [2, 2] }),
    node('flat', 'Flatten'),
    node('out', 'Dense', { units: 3, activation: 'softmax' }),
  );
  const training = trainingDefaultsSchema.parse({ dataset, loss: 'categoricalCrossentropy', optimizer: 'adam', learningRate: 0.02, batchSize: 8, epochs: 6 });
  return { schemaVersion: 1, name: 'pictures', description: '', graph, training: augmentation ? { ...training, augmentation } : training };
}

/** The data spec train_config.json gets for a project. */
async function dataSpec(project: Project): Promise<Record<string, unknown>> {
  const { exported } = await compiledWithRandomWeights(project.graph, 1, project);
  const files = await trainingFiles(exported);
  return JSON.parse(files.find((f) => f.path === 'train_config.json')!.data as string).data as Record<string, unknown>;
}

interface Read {
  target: string;
  classes: string[] | null;
  images: number[] | null;
  trainX: number[];
  testX: number[];
  trainY: number[];
  testY: number[];
  trainFiles: string[] | null;
  testFiles: string[] | null;
}

/** Reads every spec, sorts names, augments two batches and tries a folder of other classes, in one Python process. */
const SCRIPT = String.raw`
import json, os, sys
import numpy as np
sys.path.insert(0, os.getcwd())
import train_data
jobs = json.load(open("jobs.json"))
def flat(a):
    return np.asarray(a, dtype=np.float64).reshape(-1).tolist()
def read(spec):
    d = train_data.load(spec)
    (x, y), (tx, ty) = d["train"], d["test"]
    files = lambda part: [os.path.basename(f) for f in part.files] if hasattr(part, "files") else None
    return {"target": d["target"], "classes": d.get("classes"), "images": d.get("images"), "trainX": flat(x[np.arange(len(x))]), "testX": flat(tx[np.arange(len(tx))]),
            "trainY": flat(y), "testY": flat(ty), "trainFiles": files(x), "testFiles": files(tx)}
out = {"read": [read(s) for s in jobs["specs"]], "names": sorted(jobs["names"], key=train_data.natural_key)}
a = jobs["augment"]
random = train_data.JsRandom(a["seed"])
pixels = np.array(a["pixels"], dtype=np.float32).reshape(a["shape"])
out["augmented"] = [flat(train_data.augment_images(pixels, a["settings"], random)) for _ in range(2)]
try:
    train_data.load(jobs["specs"][0], jobs["otherFolder"])
    out["otherClasses"] = None
except SystemExit as e:
    out["otherClasses"] = str(e)
print(json.dumps(out))
`;

interface Results {
  read: Read[];
  names: string[];
  augmented: number[][];
  otherClasses: string | null;
}

const NAMES = ['img10.png', 'img2.png', 'Img1.png', 'img1.png', 'a_b', 'a-b', 'a b', 'a.b', 'ab', 'Ab', 'aB', 'é1', 'e1', 'f1', 'x01', 'x1', 'x001b', '10', '9', 'b', 'B2', 'class 3', 'class_3', 'café', 'cafe', 'Zebra', 'apple'];
const AUGMENTATION = augmentationSchema.parse({ flip: true, shift: 0.2, rotate: 25, noise: 0.05 });
const AUGMENT_SHAPE = [3, 8, 7, 3] as const;

describe.skipIf(check.skip !== null)(`train_data.py reads image folders and .npy files${check.skip ? ` (skipped: ${check.skip})` : ''}`, () => {
  const folder = path.join(root, 'pictures');
  const colour = imageFolderSourceSchema.parse({ kind: 'image-folder', path: folder, size: [16, 16], testFraction: 0.25 });
  const gray = imageFolderSourceSchema.parse({ kind: 'image-folder', path: folder, size: [12, 10], color: 'gray', testFraction: 0.4 });
  let netcanvas: { colour: LoadedDataset; gray: LoadedDataset; npy: LoadedDataset[] };
  let npySources: SourceOf<'npy'>[];
  let results: Results;
  let pixels: Float32Array;

  beforeAll(async () => {
    await selectBackend('cpu');
    writeImageFolder(folder);
    const other = path.join(root, 'other');
    for (const name of ['cats', 'dogs']) {
      mkdirSync(path.join(other, name), { recursive: true });
      writeFileSync(path.join(other, name, 'a.png'), encodePng(new Uint8Array(4 * 4 * 3), 4, 4, 3));
    }
    npySources = writeNpyFiles(path.join(root, 'arrays'));
    netcanvas = {
      colour: await loadImageFolder(colour),
      gray: await loadImageFolder(gray),
      npy: await Promise.all(npySources.map((s) => loadNpy(s))),
    };
    const specs = await Promise.all([colour, gray, ...npySources].map((s) => dataSpec(cnnProject(s))));
    const random = pictureRandom(3);
    pixels = Float32Array.from({ length: AUGMENT_SHAPE.reduce((a, b) => a * b, 1) }, () => random());
    const jobs = { specs, names: NAMES, otherFolder: other, augment: { seed: 5, shape: AUGMENT_SHAPE, settings: AUGMENTATION, pixels: Array.from(pixels) } };
    const work = path.join(root, 'work');
    mkdirSync(work);
    const exported = await compiledWithRandomWeights(cnnProject(colour).graph, 1, cnnProject(colour));
    await writeFolderFiles(work, (await trainingFiles(exported.exported)).filter((f) => f.path === 'train_data.py'));
    writeFileSync(path.join(work, 'jobs.json'), JSON.stringify(jobs));
    results = JSON.parse(runPython(python, ['-c', SCRIPT], { cwd: work, timeoutMs: 120_000 })) as Results;
  }, 180_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds the classes, examples and labels NetCanvas finds, in its order, skipping what it skips', () => {
    for (const [k, data] of [netcanvas.colour, netcanvas.gray].entries()) {
      const read = results.read[k]!;
      expect(read.classes).toEqual(['Blob', 'shape9', 'shape10']);
      expect(read.classes).toEqual(data.classes);
      expect(read.trainY).toEqual(Array.from(data.train.labels!));
      expect(read.testY).toEqual(Array.from(data.test.labels!));
      // 13 images per class, the damaged one left out; the text, hidden and stray files never counted.
      expect(read.trainY.length + read.testY.length).toBe(39);
      expect(read.trainFiles).not.toContain('broken.png');
      expect(read.trainFiles!.every((f) => /^(img\d+\.png|photo\.jpg)$/.test(f))).toBe(true);
    }
  });

  it('gives the same pixels: PNGs resized, made gray and laid over black as NetCanvas does, JPEGs within two grey levels', () => {
    for (const [k, data, shape] of [
      [0, netcanvas.colour, [16, 16, 3]],
      [1, netcanvas.gray, [12, 10, 1]],
    ] as const) {
      const read = results.read[k]!;
      expect(read.images).toEqual(shape);
      const size = shape[0] * shape[1] * shape[2];
      let jpegs = 0;
      for (const [files, values, split] of [
        [read.trainFiles!, read.trainX, data.train],
        [read.testFiles!, read.testX, data.test],
      ] as const) {
        const expected = split.features(all(split.count));
        files.forEach((file, i) => {
          const difference = maxDifference(values.slice(i * size, (i + 1) * size), expected.subarray(i * size, (i + 1) * size));
          if (file.endsWith('.jpg')) {
            jpegs++;
            expect(difference, file).toBeLessThanOrEqual(2 / 255 + 1e-6);
          } else {
            expect(difference, file).toBeLessThan(1e-5);
          }
        });
      }
      expect(jpegs).toBe(3);
    }
  });

  it('reads .npy files as loadNpy does: byte images scaled, NaNs made 0, one-hot classes, rows without a target left out, values to fit', () => {
    const expectedTargets = ['classes', 'classes', 'classes', 'values'];
    netcanvas.npy.forEach((data, k) => {
      const read = results.read[2 + k]!;
      expect(read.target, npySources[k]!.path).toBe(expectedTargets[k]);
      expect(maxDifference(read.trainX, data.train.features(all(data.train.count)))).toBeLessThan(1e-6);
      expect(maxDifference(read.testX, data.test.features(all(data.test.count)))).toBeLessThan(1e-6);
      expect(read.trainY).toEqual(Array.from(data.train.labels ?? data.train.values!));
      expect(read.testY).toEqual(Array.from(data.test.labels ?? data.test.values!));
      expect(read.images).toEqual(data.kind === 'images' ? data.inputShape : null);
    });
    // Bytes come out in [0, 1], and the one-hot file lost its NaN row.
    expect(Math.max(...results.read[2]!.trainX)).toBeGreaterThan(0.9);
    expect(Math.max(...results.read[2]!.trainX)).toBeLessThanOrEqual(1);
    expect(results.read[3]!.trainY.length + results.read[3]!.testY.length).toBe(29);
  });

  it('orders names as NetCanvas does: numbers by value, punctuation, then letters, accents and case last', () => {
    expect(results.names).toEqual([...NAMES].sort(naturally));
  });

  it('augments a batch as NetCanvas does, flip, shift, rotation and noise drawn from the same seeded stream', () => {
    const random = seededRandom(5);
    const [n, h, w, c] = AUGMENT_SHAPE;
    for (const augmented of results.augmented) {
      const expected = augmentImages(pixels, n, [h, w, c], AUGMENTATION, random);
      expect(maxDifference(augmented, expected)).toBeLessThan(1e-5);
      expect(maxDifference(augmented, pixels)).toBeGreaterThan(0.1);
    }
  });

  it('stops with the classes of both when --data names a folder of other classes', () => {
    expect(results.otherClasses).toMatch(/has the classes cats, dogs, but the network's outputs are the classes Blob, shape9, shape10/);
  });

  it('trains the CNN on the image folder with augmentation as one process: the loss falls', { timeout: 120_000 }, async () => {
    const project = cnnProject(colour, augmentationSchema.parse({ flip: true, shift: 0.1, noise: 0.02 }));
    const { exported } = await compiledWithRandomWeights(project.graph, 2, project);
    const out = path.join(root, 'export');
    await writeFolderFiles(out, await PYTORCH_WRITER.files(exported));
    const config = JSON.parse(readFileSync(path.join(out, 'train_config.json'), 'utf8'));
    expect(config.augmentation).toEqual({ flip: true, shift: 0.1, rotate: 0, noise: 0.02 });
    const ran = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(python, ['train.py', '--device', 'cpu'], { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(ran.code, ran.output).toBe(0);
    const rows = readFileSync(path.join(out, 'logs', 'history.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    expect(rows).toHaveLength(6);
    expect(rows[5]![1]!).toBeLessThan(rows[0]![1]! * 0.8);
    const readme = trainingReadme(exported);
    expect(readme).toMatch(/decoded with Pillow/);
    expect(readme).toContain('augmented as NetCanvas augments them (mirrored left to right half the time, shifted by up to 0.1 of the size, noise of standard deviation 0.02 added)');
  });
});
