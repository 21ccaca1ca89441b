import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DataProblem } from '../../shared/data/report.js';
import type { SourceOf } from '../../shared/data/source.js';
import { DataAccess, readSourceFile } from './access.js';
import { DatasetError, pickRows, rowSplit, splitRows, unreadable, type LoadedDataset } from './dataset.js';
import { parseIdx, type IdxArray } from './idx.js';
import { imagePreview } from './image-preview.js';

/** IDX files as a project describes them: a folder named like MNIST's (or Kaggle's copy of it), or one images file and its labels. */
export type IdxSource = SourceOf<'idx'>;

/** Where Debian's dataset-fashion-mnist package puts its files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's classes in label order. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const TRAIN_FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'] as const;
const TEST_FILES = ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;
/** The files of an IDX folder by MNIST's names, in the order `findIdxFiles` gives their paths: training images and labels, then test ones. */
export const IDX_FOLDER_FILES = [...TRAIN_FILES, ...TEST_FILES] as const;

/**
 * Reads an IDX file, gunzipping it first when it starts like a gzip file (0x1f 0x8b), whatever
 * its name: browsers often unpack a download and keep its `.gz` name.
 */
export async function readIdxFile(file: string, access = new DataAccess()): Promise<IdxArray> {
  const name = path.basename(file);
  let bytes: Uint8Array = await readSourceFile(file, access);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // A small file may unpack to far more than it holds: unpacking stops at the limit.
      bytes = gunzipSync(bytes, { maxOutputLength: access.limit('array') });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw access.tooBig(file, 'array');
      const message = `${name} is not a readable gzip file (${(err as Error).message}); unpack it or download it again.`;
      throw new DatasetError(message, [{ file, message }]);
    }
  }
  try {
    return parseIdx(bytes, name);
  } catch (err) {
    const message = (err as Error).message;
    throw new DatasetError(message, [{ file, message }]);
  }
}

/** Images read from an IDX file with their labels (null without a labels file). */
interface ImageSet {
  file: string;
  pixels: Uint8Array;
  shape: [number, number, number];
  count: number;
  labels: Int32Array | null;
}

const dims = (d: readonly number[]): string => d.join('×');

function fail(file: string, message: string): DatasetError {
  return new DatasetError(message, [{ file, message }]);
}

/** Reads an images file and, when given, its labels file, checking that they fit together. */
async function readImageSet(imagesFile: string, labelsFile: string | null, access: DataAccess): Promise<ImageSet> {
  const name = path.basename(imagesFile);
  const images = await readIdxFile(imagesFile, access);
  const [count = 0, height = 0, width = 0, channels = 1] = images.dims;
  if ((images.dims.length !== 3 && images.dims.length !== 4) || (channels !== 1 && channels !== 3)) {
    throw fail(
      imagesFile,
      `${name} has dimensions ${dims(images.dims)}, which are not images: IDX images are count × height × width, or count × height × width × channels with 1 or 3 channels.`,
    );
  }
  if (count === 0 || height === 0 || width === 0) throw fail(imagesFile, `${name} holds no images (dimensions ${dims(images.dims)}).`);
  const set: ImageSet = { file: imagesFile, pixels: images.data, shape: [height, width, channels], count, labels: null };
  if (labelsFile === null) return set;
  const labelsName = path.basename(labelsFile);
  const labels = await readIdxFile(labelsFile, access);
  if (labels.dims.length !== 1) {
    throw fail(labelsFile, `${labelsName} has ${labels.dims.length} dimensions (${dims(labels.dims)}), but a labels file has one: a label per image.`);
  }
  if (labels.dims[0] !== count) {
    throw fail(labelsFile, `${labelsName} has ${labels.dims[0]} labels for ${count} images in ${name}.`);
  }
  return { ...set, labels: Int32Array.from(labels.data) };
}

/** A dataset of IDX images: the test set's own files when there are some, else a held-out part of the training images. */
function imageSetDataset(name: string, train: ImageSet, test: ImageSet | null, testFraction: number, classes: string[] | null, problems: DataProblem[]): LoadedDataset {
  if (test && test.shape.join() !== train.shape.join()) {
    throw fail(test.file, `${path.basename(test.file)} has ${dims(test.shape)} images but ${path.basename(train.file)} has ${dims(train.shape)}; both must be the same size.`);
  }
  const sets = test ? [train, test] : [train];
  const top = sets.reduce((m, s) => (s.labels ? s.labels.reduce((a, b) => Math.max(a, b), m) : m), 0);
  const names = classes ?? (train.labels ? Array.from({ length: top + 1 }, (_, i) => String(i)) : ['all']);
  for (const set of sets) {
    const bad = set.labels?.findIndex((label) => label >= names.length) ?? -1;
    if (bad >= 0) {
      throw fail(set.file, `${path.basename(set.file)}: label ${set.labels![bad]} of image ${bad + 1} is not one of the ${names.length} classes (0 to ${names.length - 1}).`);
    }
  }
  const size = train.shape[0] * train.shape[1] * train.shape[2];
  const labelsOf = (set: ImageSet, rows: Uint32Array): Int32Array => (set.labels ? pickRows(set.labels, rows) : new Int32Array(rows.length));
  const everything = (set: ImageSet): Uint32Array => Uint32Array.from({ length: set.count }, (_, i) => i);
  const rows = test ? { train: everything(train), test: everything(test) } : splitRows(train.count, testFraction);
  const trainSplit = rowSplit(train.pixels, size, rows.train, { labels: labelsOf(train, rows.train) });
  const testSet = test ?? train;
  const testSplit = rowSplit(testSet.pixels, size, rows.test, { labels: labelsOf(testSet, rows.test) });
  return {
    name,
    kind: 'images',
    inputShape: [...train.shape],
    target: { kind: 'classes' },
    classes: names,
    vocabulary: null,
    train: trainSplit,
    test: testSplit,
    columns: [],
    problems,
    preview: (count, augmentation) => imagePreview(trainSplit, train.shape, names, count, augmentation ?? null),
  };
}

/** Kaggle's name for one of MNIST's files: `train-images.idx3-ubyte` for `train-images-idx3-ubyte`. */
const kaggleName = (base: string): string => base.replace('-idx', '.idx');

/**
 * The path of an IDX file of a folder by one of MNIST's names (`train-images-idx3-ubyte`), by
 * Kaggle's (`train-images.idx3-ubyte`), or either ending in `.gz`, the first found; null when none is.
 */
async function findFile(dir: string, base: string): Promise<string | null> {
  for (const candidate of [base, `${base}.gz`, kaggleName(base), `${kaggleName(base)}.gz`]) {
    const file = path.join(dir, candidate);
    if (await access(file).then(() => true, () => false)) return file;
  }
  return null;
}

/** Where a folder's IDX files are, in IDX_FOLDER_FILES order; null for each one it lacks. */
export function findIdxFiles(dir: string): Promise<(string | null)[]> {
  return Promise.all(IDX_FOLDER_FILES.map((base) => findFile(dir, base)));
}

/**
 * Reads a folder of IDX files whose paths `findIdxFiles` found; the test pair, when both are
 * there, is the test set. `classes` names the labels; "0", "1", … up to the largest label when null.
 */
export async function loadIdxFolder(
  dir: string,
  found: readonly (string | null)[],
  name: string,
  testFraction: number,
  classes: string[] | null,
  access = new DataAccess(),
): Promise<LoadedDataset> {
  const [trainImages = null, trainLabels = null, testImages = null, testLabels = null] = found;
  if (trainImages === null || trainLabels === null) {
    const missing = TRAIN_FILES.filter((_, i) => found[i] === null);
    const message = `${dir} has no ${missing.join(' or ')}, by MNIST's names or Kaggle's (${missing.map(kaggleName).join(', ')}), with or without .gz: an IDX folder needs these file names, or choose one images file and its labels file.`;
    throw fail(dir, message);
  }
  const problems: DataProblem[] = [];
  if ((testImages === null) !== (testLabels === null)) {
    const [has, lacks] = testImages === null ? [path.basename(testLabels!), TEST_FILES[0]] : [path.basename(testImages), TEST_FILES[1]];
    problems.push({ file: dir, message: `${dir} has ${has} but no ${lacks}, so the test files are not used and part of the training images is held out instead.` });
  }
  const train = await readImageSet(trainImages, trainLabels, access);
  const test = testImages !== null && testLabels !== null ? await readImageSet(testImages, testLabels, access) : null;
  return imageSetDataset(name, train, test, testFraction, classes, problems);
}

/**
 * Reads the user's IDX images: a folder with MNIST's or Kaggle's file names
 * (`train-images-idx3-ubyte` or `train-images.idx3-ubyte`…, optionally gzipped), or one images
 * file with an optional labels file. Without labels every image is in one class, "all", for
 * autoencoders and GANs. Files are read through `access`.
 */
export async function loadIdx(source: IdxSource, access = new DataAccess()): Promise<LoadedDataset> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(source.path)).isDirectory();
  } catch (err) {
    throw unreadable(source.path, err);
  }
  const name = path.basename(source.path);
  if (isFolder) return loadIdxFolder(source.path, await findIdxFiles(source.path), name, source.testFraction, null, access);
  const train = await readImageSet(source.path, source.labels ?? null, access);
  return imageSetDataset(name, train, null, source.testFraction, null, []);
}

/** Fashion-MNIST from Debian's dataset-fashion-mnist package: 60,000 training and 10,000 test photos of clothes. */
export async function loadFashionMnist(dir = FASHION_MNIST_DIR): Promise<LoadedDataset> {
  const found = await findIdxFiles(dir);
  const missing = IDX_FOLDER_FILES.filter((_, i) => found[i] === null).map((base) => `${base}.gz`);
  if (missing.length > 0) {
    const message = `Fashion-MNIST is not on this machine: ${dir} is missing ${missing.join(', ')}. Install Debian's dataset-fashion-mnist package, or point NetCanvas at your own IDX files.`;
    throw new DatasetError(message, [{ file: dir, message }]);
  }
  return loadIdxFolder(dir, found, 'Fashion-MNIST', 0, FASHION_MNIST_CLASSES);
}
