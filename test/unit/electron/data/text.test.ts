import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCorpus } from '../../../../electron/data/text-files.js';
import { encodeText, loadMobyDick, mobyDickDirectory, TEXT_ALPHABET } from '../../../../electron/data/text.js';

const decodeText = (ids: ArrayLike<number>) => decodeCorpus({ tokens: [...TEXT_ALPHABET], joiner: '' }, ids);

describe('Moby-Dick as characters', () => {
  it('folds case, dashes and curly quotes into a 39-character alphabet', () => {
    expect(TEXT_ALPHABET).toHaveLength(39);
    expect(decodeText(encodeText('Call me Ishmael—“Stubb’s” 1851!'))).toBe('call me ishmael-"stubb\'s" !');
  });

  it('loads the whole book offline, holding out its last chapters', async () => {
    const data = await loadMobyDick();
    expect(data.ids.length).toBeGreaterThan(1_100_000);
    expect(data.testStart / data.ids.length).toBeGreaterThan(0.85);
    expect(decodeText(data.ids.subarray(0, 30_000))).toContain('call me ishmael. some years ago-never mind how long precisely');
  });

  it('names the chapter file that has gone missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-moby-'));
    await cp(mobyDickDirectory(), dir, { recursive: true });
    await rm(path.join(dir, 'chapter_7.txt'));
    await expect(loadMobyDick(dir)).rejects.toThrow(`${path.join(dir, 'chapter_7.txt')}: the file is missing (ENOENT). Reinstall NetCanvas's packages`);
    await rm(dir, { recursive: true });
  });
});
