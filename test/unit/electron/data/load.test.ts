import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng } from '../../../../electron/files/png.js';
import { DatasetCache } from '../../../../electron/data/load.js';
import { datasetSourceSchema } from '../../../../shared/data/source.js';

const png = (level: number) => encodePng(new Uint8Array(16).fill(level), 4, 4, 1);

describe('the dataset cache', () => {
  it('reads an image folder again once an image is added to or taken from a class folder, and not before', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-cache-'));
    for (const cls of ['a', 'b']) {
      await mkdir(path.join(dir, cls));
      for (let i = 0; i < 3; i++) await writeFile(path.join(dir, cls, `${i}.png`), png(i * 40));
    }
    const source = datasetSourceSchema.parse({ kind: 'image-folder', path: dir, size: [4, 4], color: 'gray' });
    const cache = new DatasetCache();
    const first = await cache.load(source);
    expect(await cache.load(source)).toBe(first);
    await writeFile(path.join(dir, 'a', '3.png'), png(200));
    const grown = await cache.load(source);
    expect(grown).not.toBe(first);
    expect(grown.train.count + grown.test.count).toBe(7);
    await rm(path.join(dir, 'b', '0.png'));
    const shrunk = await cache.load(source);
    expect(shrunk.train.count + shrunk.test.count).toBe(6);
  });

  it('reads a CSV file again once it is edited', async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'netcanvas-cache-')), 't.csv');
    await writeFile(file, 'x,y\n1,a\n2,b\n3,a\n4,b\n');
    const source = datasetSourceSchema.parse({ kind: 'csv', path: file, testFraction: 0 });
    const cache = new DatasetCache();
    expect((await cache.load(source)).train.count).toBe(4);
    await writeFile(file, 'x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n');
    expect((await cache.load(source)).train.count).toBe(5);
  });
});
