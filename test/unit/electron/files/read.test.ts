import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isInside, realOrNearest, realOrNearestSync } from '../../../../electron/files/inside.js';
import { formatBytes, readCapped, readCappedSync, readChunks, ReadRefused } from '../../../../electron/files/read.js';

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'netcanvas-read-')));
  made.push(dir);
  return dir;
}

/** Why the read was refused. */
async function reason(pending: Promise<unknown>): Promise<string> {
  const err = await pending.then(
    () => expect.fail('it was read'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ReadRefused);
  return (err as ReadRefused).reason;
}

describe('the capped reader', () => {
  it('reads a regular file whole, with the time it was changed', async () => {
    const file = path.join(await tempDir(), 'a.json');
    await writeFile(file, '{"a": 1}\n');
    const { bytes, info } = await readCapped(file, { limit: 100 });
    expect(bytes.toString()).toBe('{"a": 1}\n');
    expect(info.mtime).toBeInstanceOf(Date);
    expect(readCappedSync(file, { limit: 100 }).toString()).toBe('{"a": 1}\n');
  });

  it('refuses a named pipe without waiting for a writer, and a folder', async () => {
    const dir = await tempDir();
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    expect(await reason(readCapped(path.join(dir, 'pipe.json'), { limit: 100 }))).toBe('not-a-file');
    expect(() => readCappedSync(path.join(dir, 'pipe.json'), { limit: 100 })).toThrow('is a named pipe, not a regular file');
    expect(await reason(readCapped(dir, { limit: 100 }))).toBe('not-a-file');
  });

  it('refuses a file over the limit before reading it, naming its size', async () => {
    const file = path.join(await tempDir(), 'big.json');
    await writeFile(file, 'x'.repeat(3000));
    await expect(readCapped(file, { limit: 1000 })).rejects.toThrow(`${file} is 2.9 KB, more than the 1000 bytes NetCanvas reads from it.`);
  });

  it.runIf(existsSync('/proc/self/maps'))('stops a file that holds more than its size says at the limit', async () => {
    // /proc files say they are 0 bytes long.
    expect(await reason(readCapped('/proc/self/maps', { limit: 64 }))).toBe('grew');
    expect(() => readCappedSync('/proc/self/maps', { limit: 64 })).toThrow('reading stopped there');
    let read = 0;
    const chunks = readChunks('/proc/self/maps', { limit: 64 });
    await expect(
      (async () => {
        for await (const chunk of chunks) read += chunk.length;
      })(),
    ).rejects.toThrow(ReadRefused);
    expect(read).toBeLessThanOrEqual(64);
  });

  it('refuses a checked real path whose folder was swapped for a link before it was opened', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'data'));
    await writeFile(path.join(dir, 'data', 'points.csv'), 'allowed\n');
    await mkdir(path.join(dir, 'secret'));
    await writeFile(path.join(dir, 'secret', 'points.csv'), 'secret\n');
    const checked = path.join(dir, 'data', 'points.csv');
    expect((await readCapped(checked, { limit: 100, checkedReal: true })).bytes.toString()).toBe('allowed\n');
    // Between the check and the read, the folder becomes a link leading elsewhere.
    await rename(path.join(dir, 'data'), path.join(dir, 'data-before'));
    await symlink(path.join(dir, 'secret'), path.join(dir, 'data'));
    expect(await reason(readCapped(checked, { limit: 100, checkedReal: true }))).toBe('changed');
    expect(() => readCappedSync(checked, { limit: 100, checkedReal: true })).toThrow('changed while NetCanvas opened it');
    // And a link put in the file's own place is not followed.
    await rm(path.join(dir, 'data'));
    await rename(path.join(dir, 'data-before'), path.join(dir, 'data'));
    await rm(checked);
    await symlink(path.join(dir, 'secret', 'points.csv'), checked);
    await expect(readCapped(checked, { limit: 100, checkedReal: true })).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('says a link that leads nowhere is missing', async () => {
    const dir = await tempDir();
    await symlink(path.join(dir, 'nowhere.json'), path.join(dir, 'gone.json'));
    await expect(readCapped(path.join(dir, 'gone.json'), { limit: 100 })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => readCappedSync(path.join(dir, 'gone.json'), { limit: 100 })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('formats sizes in words', () => {
    expect([80, 12 * 1024, 1.5 * 1024 ** 3, 300 * 1024 ** 2, 33 * 1024 ** 2].map(formatBytes)).toEqual(['80 bytes', '12 KB', '1.5 GB', '300 MB', '33 MB']);
  });
});

describe('inside a folder', () => {
  it('compares whole path parts, the folder itself counting as inside', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/c/d')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
    expect(isInside('/a/b', '/a/b/../c')).toBe(false);
  });

  it('resolves links in the folders above a file that does not exist yet', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'real'));
    await symlink(path.join(dir, 'real'), path.join(dir, 'link'));
    const asked = path.join(dir, 'link', 'new', 'file.json');
    expect(await realOrNearest(asked)).toBe(path.join(dir, 'real', 'new', 'file.json'));
    expect(realOrNearestSync(asked)).toBe(path.join(dir, 'real', 'new', 'file.json'));
  });
});
