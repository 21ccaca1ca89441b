import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DataProblem } from '../../shared/data/report.js';
import type { SourceOf } from '../../shared/data/source.js';
import { product } from '../../shared/graph/types.js';
import { DataAccess, DataAccessError, type FolderListing } from './access.js';
import { DatasetError, naturally, seededOrder, type LoadedDataset, type Split } from './dataset.js';
import { imagePreview } from './image-preview.js';
import { decodeImage, imageFormat, MAGIC_BYTES } from './images/decode.js';
import { toTensorPixels, type PixelColor } from './images/resize.js';

/** A folder of images with one sub-folder per class, as a project describes it. */
export type ImageFolderSource = SourceOf<'image-folder'>;

/** One image found while scanning: where it is, and its class's position in the class list. */
interface Entry {
  file: string;
  /** The path inside the dataset folder with `/` between parts, as problems name it. */
  name: string;
  label: number;
}

/** Files an operating system leaves in folders, which are neither images nor worth a problem. */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', '__macosx']);
/** Hidden and system files, which no listing of a folder counts. */
const ignored = (name: string): boolean => name.startsWith('.') || SYSTEM_FILES.has(name.toLowerCase());

/** Files opened at once while checking files' first bytes. */
const PARALLEL_READS = 32;

const errorCode = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A folder's files and sub-folders, each in natural name order, and what was skipped, in words. */
type Listing = FolderListing;

/**
 * A folder's entries through `access` (links counted as what they lead to; hidden entries,
 * devices and what may not be read left out), system files left out too, in natural order.
 */
async function listFolder(dir: string, access: DataAccess): Promise<Listing> {
  const listing = await access.list(dir);
  return {
    files: listing.files.filter((name) => !ignored(name)).sort(naturally),
    folders: listing.folders.filter((name) => !ignored(name)).sort(naturally),
    skipped: listing.skipped,
  };
}

/** Names what a listing skipped; `prefix` is the folder's path inside the dataset. */
function reportOutside(listing: Listing, prefix: string, problems: DataProblem[]): void {
  for (const { name, message } of listing.skipped) problems.push({ file: `${prefix}${name}`, message });
}

/** Why a file cannot be used as an image, from its first bytes; null when it looks like a PNG or JPEG. */
async function checkImage(file: string, access: DataAccess): Promise<string | null> {
  let head: Uint8Array;
  try {
    head = await access.head(file, 'image', MAGIC_BYTES);
  } catch (err) {
    return err instanceof DatasetError ? `cannot be used: ${err.message}` : `cannot be read (${errorCode(err)})`;
  }
  if (head.length === 0) return 'is empty';
  return imageFormat(head) ? null : 'is not a PNG or JPEG image';
}

/** The images of one class folder, in name order; what is not an image becomes a problem. */
async function scanClass(root: string, folder: string, problems: DataProblem[], access: DataAccess): Promise<string[] | null> {
  let listing: Listing;
  try {
    listing = await listFolder(path.join(root, folder), access);
  } catch (err) {
    problems.push({ file: folder, message: `The class folder "${folder}" cannot be read (${errorCode(err)}); the class is left out.` });
    return null;
  }
  for (const inner of listing.folders) {
    problems.push({ file: `${folder}/${inner}`, message: `The folder "${inner}" in "${folder}" is not read: a class's images go directly in its folder.` });
  }
  reportOutside(listing, `${folder}/`, problems);
  const why = await mapLimited(listing.files, PARALLEL_READS, (name) => checkImage(path.join(root, folder, name), access));
  const images: string[] = [];
  listing.files.forEach((name, i) => {
    const reason = why[i];
    if (reason) problems.push({ file: `${folder}/${name}`, message: `${name} in "${folder}" ${reason}; it is skipped.` });
    else images.push(name);
  });
  return images;
}

/** Every class folder of `listing`, the contents of `dir` (a path inside `root`, or '' for root itself), and its images; stray files are reported. */
async function scanClasses(root: string, dir: string, listing: Listing, problems: DataProblem[], access: DataAccess): Promise<Map<string, string[]>> {
  const prefix = dir ? `${dir}/` : '';
  for (const name of listing.files) {
    problems.push({ file: `${prefix}${name}`, message: `${name} is not in a class folder; it is ignored.` });
  }
  reportOutside(listing, prefix, problems);
  const classes = new Map<string, string[]>();
  for (const folder of listing.folders) {
    const images = await scanClass(root, `${prefix}${folder}`, problems, access);
    if (images) classes.set(folder, images);
  }
  return classes;
}

/** The class folders of `train/` or `test/` and their images; an unreadable one becomes a problem. */
async function scanSplitFolder(root: string, dir: string, problems: DataProblem[], access: DataAccess): Promise<Map<string, string[]>> {
  try {
    return await scanClasses(root, dir, await listFolder(path.join(root, dir), access), problems, access);
  } catch (err) {
    problems.push({ file: dir, message: `The folder "${dir}" cannot be read (${errorCode(err)}); its images are left out.` });
    return new Map();
  }
}

/** Folders with at most this many images are decoded in full while scanning, so a damaged image is reported before training. */
const FULL_CHECK_LIMIT = 2_000;

/** Decodes every image of a small folder, leaving out (and reporting) those that do not decode. */
async function dropUndecodable(root: string, found: Map<string, string[]>, prefix: string, problems: DataProblem[], access: DataAccess): Promise<void> {
  for (const [cls, names] of found) {
    const why = await mapLimited(names, PARALLEL_READS, async (name) => {
      try {
        decodeImage(await access.readFile(path.join(root, prefix, cls, name), 'image'), name);
        return null;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    });
    names.forEach((name, i) => {
      if (why[i]) problems.push({ file: `${prefix}${cls}/${name}`, message: `${why[i]} It is skipped.` });
    });
    found.set(cls, names.filter((_, i) => !why[i]));
  }
}

const imageCount = (...maps: Map<string, string[]>[]): number => maps.reduce((n, m) => n + [...m.values()].reduce((k, names) => k + names.length, 0), 0);

/** The class names that have images, in natural order; empty class folders become problems. */
function classList(found: Map<string, string[]>, prefix: string, problems: DataProblem[]): string[] {
  const classes: string[] = [];
  for (const [name, images] of found) {
    if (images.length > 0) classes.push(name);
    else problems.push({ file: `${prefix}${name}`, message: `The class folder "${prefix}${name}" has no images; the class is left out.` });
  }
  return classes;
}

function entries(root: string, found: Map<string, string[]>, classes: readonly string[], prefix: string): Entry[] {
  return classes.flatMap((cls, label) =>
    (found.get(cls) ?? []).map((name) => ({ file: path.join(root, prefix, cls, name), name: `${prefix}${cls}/${name}`, label })),
  );
}

/** Entries in a fixed shuffled order, so that batches and any slice of the split mix the classes. */
function shuffle(list: readonly Entry[]): Entry[] {
  return Array.from(seededOrder(list.length, 1), (i) => list[i]!);
}

/** Holds out the last `testFraction` of each class in a seeded order, so both splits have every class in proportion. */
function splitByClass(all: readonly Entry[], classes: number, testFraction: number): { train: Entry[]; test: Entry[] } {
  const train: Entry[] = [];
  const test: Entry[] = [];
  for (let label = 0; label < classes; label++) {
    const members = all.filter((e) => e.label === label);
    const held = Math.min(members.length - 1, Math.round(members.length * testFraction));
    seededOrder(members.length, 1).forEach((i, k) => (k >= members.length - held ? test : train).push(members[i]!));
  }
  return { train: shuffle(train), test: shuffle(test) };
}

interface Streaming {
  height: number;
  width: number;
  color: PixelColor;
  /** The dataset's problems, which a file that fails to decode is added to once. */
  problems: DataProblem[];
  failed: Set<string>;
  access: DataAccess;
}

/**
 * A split whose pixels are read from disk on every `features` call: only the file list and
 * labels are kept. A file that cannot be read or decoded by then gives an all-zero image,
 * so training carries on, and is recorded once in the dataset's problems.
 */
function streamedSplit(list: readonly Entry[], s: Streaming): Split {
  const size = product([s.height, s.width, s.color === 'gray' ? 1 : 3]);
  const report = (entry: Entry, why: string): void => {
    if (s.failed.has(entry.name)) return;
    s.failed.add(entry.name);
    s.problems.push({ file: entry.name, message: `${why} It is used as an all-black image.` });
  };
  return {
    count: list.length,
    labels: Int32Array.from(list, (e) => e.label),
    values: null,
    features(indices) {
      const out = new Float32Array(indices.length * size);
      for (let i = 0; i < indices.length; i++) {
        const entry = list[indices[i]!];
        if (!entry) throw new RangeError(`Example ${indices[i]} does not exist: the split has ${list.length}.`);
        let bytes: Buffer;
        try {
          bytes = s.access.readFileSync(entry.file, 'image');
        } catch (err) {
          report(entry, err instanceof DatasetError ? err.message : `${entry.name} cannot be read any more (${errorCode(err)}).`);
          continue;
        }
        try {
          toTensorPixels(decodeImage(bytes, entry.name), s.height, s.width, s.color, out, i * size);
        } catch (err) {
          out.fill(0, i * size, (i + 1) * size);
          report(entry, (err as Error).message);
        }
      }
      return out;
    },
  };
}

async function readRoot(root: string, access: DataAccess): Promise<Listing> {
  try {
    return await listFolder(root, access);
  } catch (err) {
    if (err instanceof DataAccessError) throw err;
    const code = errorCode(err);
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is a file, not a folder' : 'cannot be read';
    throw new DatasetError(`The image folder ${root} ${why} (${code}). Choose a folder with one sub-folder of images per class.`);
  }
}

/** Names of the test folder beside `train/` (any letter case), the first one there chosen. */
const TEST_FOLDERS = ['test', 'val', 'valid', 'validation'];

/** What scanning a folder found; it does not depend on the image size or colour asked for, so it is kept and reused. */
interface Scan {
  classes: string[];
  /** Training images, in a fixed shuffled order; every image, in class order, when `test` is null. */
  train: Entry[];
  /** The test folder's images, in a fixed shuffled order; null when part of `train` is held out instead. */
  test: Entry[] | null;
  /** The folder that holds the class folders: the root, or its `train/` folder. */
  classRoot: string;
  problems: DataProblem[];
}

/** Scans `root/train/` and the test folder beside it: the classes are training's, test images of other classes are left out. */
async function scanTrainTest(root: string, top: Listing, trainDir: string, testDir: string, access: DataAccess): Promise<Scan> {
  const problems: DataProblem[] = [];
  reportOutside(top, '', problems);
  for (const other of top.folders.filter((f) => f !== trainDir && f !== testDir)) {
    problems.push({ file: other, message: `The folder "${other}" is beside "${trainDir}" and "${testDir}" and is not used.` });
  }
  for (const name of top.files) problems.push({ file: name, message: `${name} is not in "${trainDir}" or "${testDir}"; it is ignored.` });
  const trainFound = await scanSplitFolder(root, trainDir, problems, access);
  const testFound = await scanSplitFolder(root, testDir, problems, access);
  if (imageCount(trainFound, testFound) <= FULL_CHECK_LIMIT) {
    await dropUndecodable(root, trainFound, `${trainDir}/`, problems, access);
    await dropUndecodable(root, testFound, `${testDir}/`, problems, access);
  }
  const classes = classList(trainFound, `${trainDir}/`, problems);
  for (const [name, images] of testFound) {
    if (images.length > 0 && !classes.includes(name)) {
      problems.push({ file: `${testDir}/${name}`, message: `The class "${name}" in "${testDir}" has no training images in "${trainDir}"; its test images are left out.` });
    }
  }
  return {
    classes,
    train: shuffle(entries(root, trainFound, classes, `${trainDir}/`)),
    test: shuffle(entries(root, testFound, classes, `${testDir}/`)),
    classRoot: path.join(root, trainDir),
    problems,
  };
}

/** A scan whose images are held out by class later: the class folders `found` in `root/dir/` (in `root` when `dir` is ''). */
async function heldOutScan(root: string, dir: string, found: Map<string, string[]>, problems: DataProblem[], access: DataAccess): Promise<Scan> {
  const prefix = dir ? `${dir}/` : '';
  if (imageCount(found) <= FULL_CHECK_LIMIT) await dropUndecodable(root, found, prefix, problems, access);
  const classes = classList(found, prefix, problems);
  return { classes, train: entries(root, found, classes, prefix), test: null, classRoot: dir ? path.join(root, dir) : root, problems };
}

/**
 * Reads a folder's layout: `train/` beside a test folder (test, val, valid or validation, in
 * any letter case); `train/` as the only folder, its classes held out from; or class folders.
 */
async function scanFolder(root: string, access: DataAccess): Promise<Scan> {
  const top = await readRoot(root, access);
  const named = (name: string): string | undefined => top.folders.find((f) => f.toLowerCase() === name);
  const trainDir = named('train');
  const testDir = TEST_FOLDERS.map(named).find((f) => f !== undefined);
  if (trainDir && testDir) return scanTrainTest(root, top, trainDir, testDir, access);
  if (trainDir && top.folders.length === 1) {
    const problems: DataProblem[] = top.files.map((name) => ({ file: name, message: `${name} is not in "${trainDir}"; it is ignored.` }));
    reportOutside(top, '', problems);
    return heldOutScan(root, trainDir, await scanSplitFolder(root, trainDir, problems, access), problems, access);
  }
  const problems: DataProblem[] = [];
  return heldOutScan(root, '', await scanClasses(root, '', top, problems, access), problems, access);
}

/** Scans kept, most recently used last: changing the size or colour of the same folder reads no file again. */
const scans = new Map<string, Promise<Scan>>();
const SCANS_KEPT = 4;

/** The scan of `root` at `version` under `access`'s rule, from the kept ones when it is there; a scan that fails is not kept. */
function cachedScan(root: string, version: string, access: DataAccess): Promise<Scan> {
  const key = `${root}\n${version}\n${access.key()}`;
  let scan = scans.get(key);
  if (scan) {
    scans.delete(key);
  } else {
    const started = scanFolder(root, access);
    started.catch(() => {
      if (scans.get(key) === started) scans.delete(key);
    });
    scan = started;
  }
  scans.set(key, scan);
  while (scans.size > SCANS_KEPT) scans.delete(scans.keys().next().value!);
  return scan;
}

/** Folder depths `folderVersion` looks into: the root, `train/` or `test/`, and a class folder. */
const VERSION_DEPTH = 3;

/** One line per entry of `dir` (hidden and system files left out) and, below VERSION_DEPTH, of its folders: a file's size and modification time. */
async function versionLines(dir: string, relative: string, depth: number, lines: string[]): Promise<void> {
  let listed: Dirent[];
  try {
    listed = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    lines.push(`${relative}/ ${errorCode(err)}`);
    return;
  }
  const names = listed.filter((e) => !ignored(e.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const kinds = await mapLimited(names, PARALLEL_READS, async (entry): Promise<string> => {
    if (entry.isDirectory()) return 'folder';
    try {
      const s = await stat(path.join(dir, entry.name));
      return s.isDirectory() ? 'folder' : `${s.size} ${s.mtimeMs}`;
    } catch (err) {
      return errorCode(err);
    }
  });
  for (let i = 0; i < names.length; i++) {
    const name = `${relative}/${names[i]!.name}`;
    lines.push(`${name} ${kinds[i]}`);
    if (kinds[i] === 'folder' && depth + 1 < VERSION_DEPTH) await versionLines(path.join(dir, names[i]!.name), name, depth + 1, lines);
  }
}

/**
 * A short text that changes when the images of a folder change: a hash of the name, size and
 * modification time of every entry of the root, its folders and theirs (root/train/class/image
 * deep), hidden and system files left out. A folder that cannot be read gives a version too,
 * never an error. It opens no file: one directory listing per folder and one `stat` per file,
 * 32 at a time, about 30 µs a file on a local disk (some 2 s for 60,000 images; far less than
 * the scan, which opens every file), more on a network drive.
 */
export async function folderVersion(root: string): Promise<string> {
  const lines: string[] = [];
  await versionLines(root, '', 0, lines);
  return createHash('sha1').update(lines.join('\n')).digest('hex').slice(0, 16);
}

/**
 * Reads a folder of PNG and JPEG images as a classification dataset of size[0] × size[1] images:
 * `path/<class>/*`; `path/train/<class>/*` with a test folder beside it (`test/`, `val/`, `valid/`
 * or `validation/`, in any letter case); or `path/train/<class>/*` with no other folder. Only the file list is
 * read up front (and each file's first bytes, to skip what is not an image; a folder of at most
 * 2,000 images is decoded once in full, to skip damaged ones); the pixels are decoded batch by
 * batch. Without a test folder, the last `testFraction` of each class in a fixed shuffled order is
 * held out. Files that are not images, empty class folders and stray files are problems; so is
 * any file that fails to decode later, added to `problems` when it is first read.
 *
 * The scan is kept for the folder at `version` (`folderVersion(path)` when not given), so reading
 * the same folder at another size or colour scans nothing again. Throws DatasetError when no
 * class folder has images. Every file is read through `access`.
 */
export async function loadImageFolder(source: ImageFolderSource, version?: string, access = new DataAccess()): Promise<LoadedDataset> {
  const root = source.path;
  const [height, width] = source.size;
  const channels = source.color === 'gray' ? 1 : 3;
  const scan = await cachedScan(root, version ?? (await folderVersion(root)), access);
  const problems = [...scan.problems];
  const { classes } = scan;
  const split = scan.test ? { train: scan.train, test: scan.test } : splitByClass(scan.train, classes.length, source.testFraction);
  if (split.train.length === 0) {
    throw new DatasetError(`${scan.classRoot} has no class folders with images. Put each class's PNG or JPEG images in a sub-folder named after the class.`, problems);
  }
  const streaming: Streaming = { height, width, color: source.color, problems, failed: new Set(), access };
  const train = streamedSplit(split.train, streaming);
  const inputShape = [height, width, channels];
  return {
    name: path.basename(path.resolve(root)),
    kind: 'images',
    inputShape,
    target: { kind: 'classes' },
    classes,
    vocabulary: null,
    train,
    test: streamedSplit(split.test, streaming),
    columns: [],
    problems,
    preview: (count, augmentation) => imagePreview(train, inputShape, classes, count, augmentation ?? null),
  };
}
