import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { collectCapped, DataAccess, DataAccessError, type DataRule } from '../../../../electron/data/access.js';
import { sourceFromArgument } from '../../../../electron/data/guess.js';
import { readIdxFile } from '../../../../electron/data/idx-files.js';
import { loadImageFolder } from '../../../../electron/data/image-folder.js';
import { readDataset } from '../../../../electron/data/load.js';
import { loadTextFiles } from '../../../../electron/data/text-files.js';
import { encodePng } from '../../../../electron/files/png.js';
import { datasetSourceSchema, imageFolderSourceSchema, textSourceSchema, type DatasetSourceInput, type UserSource } from '../../../../shared/data/source.js';

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A new folder by its real path, as the rule holds folders (the system's temporary folder may itself be a link, as on macOS); removed after the tests. */
async function tempDir(name: string): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), `netcanvas-access-${name}-`)));
  made.push(dir);
  return dir;
}
const source = (input: DatasetSourceInput) => datasetSourceSchema.parse(input) as UserSource;
const text = (input: object) => textSourceSchema.parse({ kind: 'text', ...input });
const rootsRule = (...allowed: string[]): DataRule => ({ allowed, refusal: 'it is outside the allowed folders.' });

/** Refused with this code; the error's message. */
async function refusal(pending: Promise<unknown>, code: DataAccessError['code']): Promise<string> {
  const err = await pending.then(
    () => expect.fail('it was read'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataAccessError);
  expect((err as DataAccessError).code).toBe(code);
  return (err as Error).message;
}

function png(level: number): Uint8Array {
  return encodePng(new Uint8Array(64).fill(level), 8, 8, 1);
}

describe('which paths data may be read from', () => {
  it('reads under an allowed folder, and refuses /etc/passwd, another folder and a link leading outside', async () => {
    const root = await tempDir('root');
    const outside = await tempDir('outside');
    await writeFile(path.join(root, 'points.csv'), 'a,b\n1,2\n3,4\n');
    await writeFile(path.join(outside, 'secret.csv'), 'a,b\n5,6\n7,8\n');
    await symlink(path.join(outside, 'secret.csv'), path.join(root, 'link.csv'));
    const access = new DataAccess(rootsRule(root));

    expect((await access.readFile(path.join(root, 'points.csv'), 'table')).toString()).toBe('a,b\n1,2\n3,4\n');
    expect(await refusal(access.readFile('/etc/passwd', 'table'), 'FORBIDDEN')).toBe('NetCanvas may not read /etc/passwd: it is outside the allowed folders.');
    expect(await refusal(access.checkSource(source({ kind: 'image-folder', path: outside })), 'FORBIDDEN')).toContain(`NetCanvas may not read ${outside}:`);
    const viaLink = await refusal(access.readFile(path.join(root, 'link.csv'), 'table'), 'FORBIDDEN');
    expect(viaLink).toContain(`${path.join(root, 'link.csv')}, a link to ${path.join(outside, 'secret.csv')},`);
    // The Trainer's synchronous reads keep the same rule.
    expect(() => access.readFileSync(path.join(root, 'link.csv'), 'image')).toThrow(/a link to/);
  });

  it('refuses a missing path outside the folders before saying it is missing', async () => {
    const access = new DataAccess(rootsRule(await tempDir('root')));
    await refusal(access.checkSource(source({ kind: 'csv', path: '/etc/no-such-file.csv' })), 'FORBIDDEN');
  });

  it('refuses /dev/zero as not a regular file, with any path allowed (the command line) and with /dev allowed', async () => {
    for (const access of [new DataAccess(), new DataAccess(rootsRule('/dev'))]) {
      const message = await refusal(access.checkSource(source({ kind: 'text', path: '/dev/zero' })), 'FILE_REFUSED');
      expect(message).toBe('/dev/zero is a device, not a regular file: NetCanvas reads data only from regular files and folders.');
      await refusal(access.readFile('/dev/zero', 'text'), 'FILE_REFUSED');
      expect(() => access.readFileSync('/dev/zero', 'image')).toThrow('/dev/zero is a device');
    }
    // Through a whole read too, as the Trainer's reads go.
    await refusal(readDataset(source({ kind: 'csv', path: '/dev/zero' })), 'FILE_REFUSED');
    await refusal(readDataset(source({ kind: 'npy', path: '/dev/zero' })), 'FILE_REFUSED');
  });

  it('refuses a named pipe without waiting for a writer', async () => {
    const dir = await tempDir('fifo');
    const fifo = path.join(dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const message = await refusal(readDataset(source({ kind: 'csv', path: fifo })), 'FILE_REFUSED');
    expect(message).toContain('is a named pipe, not a regular file');
  });

  it('refuses a file over its kind’s limit, naming it, its size and the limit', async () => {
    const dir = await tempDir('big');
    const file = path.join(dir, 'big.csv');
    await writeFile(file, `a,b\n${'1,2\n'.repeat(500)}`);
    const access = new DataAccess({ allowed: null, refusal: '', limits: { table: 1000 } });
    const message = await refusal(readDataset(source({ kind: 'csv', path: file }), {}, access), 'FILE_REFUSED');
    expect(message).toBe(`${file} is 2 KB, more than the 1000 bytes NetCanvas reads from one table file.`);
  });
});

describe('text and tables are read in chunks, stopping at the limit', () => {
  it('stops reading an endless source once it passes the limit', async () => {
    const stream = createReadStream('/dev/zero', { highWaterMark: 64 * 1024 });
    await expect(collectCapped(stream, 1024 * 1024, () => new Error('too big'))).rejects.toThrow('too big');
    // What was read: the limit and at most one chunk more, never the endless rest.
    expect(stream.bytesRead).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024);
    expect(stream.destroyed).toBe(true);
  });

  it.runIf(existsSync('/proc/self/maps'))('stops a text or CSV file that is longer than it says (a size of 0) at the limit', async () => {
    const access = new DataAccess({ allowed: null, refusal: '', limits: { text: 1024, table: 1024 } });
    const message = await refusal(loadTextFiles(text({ path: '/proc/self/maps' }), access), 'FILE_REFUSED');
    expect(message).toBe('/proc/self/maps has more than the 1 KB NetCanvas reads from one text file; reading stopped there.');
    await expect(refusal(readDataset(source({ kind: 'csv', path: '/proc/self/maps' }), {}, access), 'FILE_REFUSED')).resolves.toContain('reading stopped there');
  });

  it('stops a folder of text files once they pass the limit together', async () => {
    const dir = await tempDir('texts');
    await writeFile(path.join(dir, 'a.txt'), 'x'.repeat(600));
    await writeFile(path.join(dir, 'b.txt'), 'y'.repeat(600));
    const access = new DataAccess({ allowed: null, refusal: '', limits: { text: 1000 } });
    const message = await refusal(loadTextFiles(text({ path: dir }), access), 'FILE_REFUSED');
    expect(message).toContain(`The .txt files of ${dir} hold more than the 1000 bytes`);
  });

  it('stops unpacking a gzipped IDX file at the limit', async () => {
    const dir = await tempDir('idx');
    const file = path.join(dir, 'train-images-idx3-ubyte.gz');
    const header = Buffer.from([0, 0, 0x08, 3, 0, 0, 0, 100, 0, 0, 0, 28, 0, 0, 0, 28]);
    await writeFile(file, gzipSync(Buffer.concat([header, Buffer.alloc(100 * 28 * 28)])));
    const message = await refusal(readIdxFile(file, new DataAccess({ allowed: null, refusal: '', limits: { array: 10_000 } })), 'FILE_REFUSED');
    expect(message).toContain('train-images-idx3-ubyte.gz has more than the 9.8 KB');
  });
});

describe('folder listings', () => {
  it('skip links leading outside (named as problems) and special files, in image folders and text folders', async () => {
    const root = await tempDir('images');
    const outside = await tempDir('elsewhere');
    for (const cls of ['light', 'dark']) {
      await mkdir(path.join(root, cls));
      for (let i = 0; i < 3; i++) await writeFile(path.join(root, cls, `${i}.png`), png(cls === 'light' ? 220 : 30));
    }
    await writeFile(path.join(outside, 'private.png'), png(128));
    await symlink(path.join(outside, 'private.png'), path.join(root, 'light', 'borrowed.png'));
    await symlink(path.join(root, 'dark', '0.png'), path.join(root, 'light', 'inside.png'));
    execFileSync('mkfifo', [path.join(root, 'dark', 'pipe.png')]);
    const access = new DataAccess(rootsRule(root));

    const data = await loadImageFolder(imageFolderSourceSchema.parse({ kind: 'image-folder', path: root, size: [8, 8], color: 'gray', testFraction: 0 }), undefined, access);
    // 3 + 3 images and the link that stays inside; neither the link outside nor the pipe.
    expect(data.train.count).toBe(7);
    expect(data.problems).toContainEqual({ file: 'light/borrowed.png', message: 'borrowed.png is a link to a place NetCanvas may not read data from; it is skipped.' });
    expect(data.problems.some((p) => p.file?.includes('pipe.png'))).toBe(false);

    const texts = await tempDir('texts');
    await writeFile(path.join(texts, 'one.txt'), 'call me ishmael. '.repeat(20));
    await writeFile(path.join(outside, 'diary.txt'), 'private words. '.repeat(20));
    await symlink(path.join(outside, 'diary.txt'), path.join(texts, 'two.txt'));
    const corpus = await loadTextFiles(text({ path: texts, length: 8 }), new DataAccess(rootsRule(texts)));
    expect(corpus.problems).toContainEqual({ file: path.join(texts, 'two.txt'), message: 'two.txt is a link to a place NetCanvas may not read data from; it is skipped.' });
    expect(corpus.corpus!.tokens).not.toContain('p');
  });
});

describe('hidden files and NetCanvas’s own folders', () => {
  /** A home folder as browser mode allows it by default: keys, NetCanvas's state with another user's recovery copy, and data. */
  async function home(): Promise<{ home: string; state: string; runs: string; access: DataAccess }> {
    const home = await tempDir('home');
    await mkdir(path.join(home, '.ssh'));
    await writeFile(path.join(home, '.ssh', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    const state = path.join(home, 'state');
    await mkdir(path.join(state, 'recovery'), { recursive: true });
    await writeFile(path.join(state, 'recovery', 'someone-elses-doc.json'), '{"project": "private"}\n');
    const runs = path.join(home, 'runs');
    await mkdir(runs);
    return { home, state, runs, access: new DataAccess({ ...rootsRule(home), never: [state, runs] }) };
  }

  it('never reads a hidden file or folder below an allowed folder, also through a link, naming the hidden part', async () => {
    const { home: root, access } = await home();
    const key = path.join(root, '.ssh', 'id_rsa');
    expect(await refusal(access.readFile(key, 'text'), 'FORBIDDEN')).toBe(
      `NetCanvas may not read ${key}: .ssh is hidden (its name starts with a dot), and NetCanvas never reads hidden files or folders, which hold keys and settings.`,
    );
    await refusal(access.checkSource(source({ kind: 'image-folder', path: path.join(root, '.ssh') })), 'FORBIDDEN');
    await mkdir(path.join(root, 'data'));
    await symlink(key, path.join(root, 'data', 'key.txt'));
    expect(await refusal(access.readFile(path.join(root, 'data', 'key.txt'), 'text'), 'FORBIDDEN')).toContain(`a link to ${key},`);
    expect(() => access.readFileSync(path.join(root, 'data', 'key.txt'), 'image')).toThrow('.ssh is hidden');
  });

  it('reads below a hidden folder named as allowed itself, but not the hidden names inside it', async () => {
    const root = await tempDir('hidden-root');
    const data = path.join(root, '.datasets');
    await mkdir(path.join(data, '.cache'), { recursive: true });
    await writeFile(path.join(data, 'points.csv'), 'a,b\n1,2\n');
    await writeFile(path.join(data, '.cache', 'points.csv'), 'a,b\n3,4\n');
    const access = new DataAccess(rootsRule(data));
    expect((await access.readFile(path.join(data, 'points.csv'), 'table')).toString()).toBe('a,b\n1,2\n');
    expect(await refusal(access.readFile(path.join(data, '.cache', 'points.csv'), 'table'), 'FORBIDDEN')).toContain('.cache is hidden');
  });

  it('never reads NetCanvas’s state or runs folder, whatever the rule allows, and says why', async () => {
    const { home: root, state, runs, access } = await home();
    const copy = path.join(state, 'recovery', 'someone-elses-doc.json');
    expect(await refusal(access.readFile(copy, 'text'), 'FORBIDDEN')).toBe(
      `NetCanvas may not read ${copy}: it is in ${state}, where NetCanvas keeps its own files (recovery copies, runs), which are never read as data.`,
    );
    await refusal(access.checkSource(source({ kind: 'text', path: path.join(state, 'recovery') })), 'FORBIDDEN');
    await refusal(access.checkSource(source({ kind: 'image-folder', path: runs })), 'FORBIDDEN');
    // Any path allowed (the command line) still leaves them out.
    await refusal(new DataAccess({ allowed: null, refusal: '', never: [state] }).readFile(copy, 'text'), 'FORBIDDEN');
    // The folder that holds them is read, without them.
    expect(await access.resolve(root)).toBe(root);
  });

  it('leaves hidden entries and NetCanvas’s folders out of an image folder’s and a text folder’s listing', async () => {
    const { home: root, state, access } = await home();
    await mkdir(path.join(root, 'cats'));
    for (let i = 0; i < 3; i++) await writeFile(path.join(root, 'cats', `${i}.png`), png(200));
    await mkdir(path.join(root, '.thumbnails'));
    await writeFile(path.join(root, '.thumbnails', 'x.png'), png(10));
    await writeFile(path.join(state, 'recovery', 'secret-name.png'), png(10));

    const data = await loadImageFolder(imageFolderSourceSchema.parse({ kind: 'image-folder', path: root, size: [8, 8], color: 'gray', testFraction: 0 }), undefined, access);
    expect(data.classes).toEqual(['cats']);
    expect(data.train.count).toBe(3);
    expect(data.problems).toContainEqual({ file: 'state', message: 'state is in a place NetCanvas may not read data from; it is skipped.' });
    const said = JSON.stringify(data.problems);
    for (const name of ['.ssh', 'id_rsa', '.thumbnails', 'secret-name', 'someone-elses-doc']) expect(said).not.toContain(name);

    const texts = await tempDir('texts');
    await writeFile(path.join(texts, 'story.txt'), 'once upon a time. '.repeat(20));
    await writeFile(path.join(texts, '.private.txt'), 'zzzz '.repeat(50));
    const corpus = await loadTextFiles(text({ path: texts, length: 8 }), new DataAccess(rootsRule(texts)));
    expect(corpus.corpus!.tokens).not.toContain('z');
    expect(corpus.problems).toEqual([]);
  });
});

describe('the command line’s guess of what a path holds', () => {
  it('names /dev/zero as a device instead of reading it', async () => {
    await expect(sourceFromArgument('/dev/zero')).rejects.toThrow('/dev/zero is a device, not a regular file: NetCanvas reads data only from regular files and folders.');
  });
});
