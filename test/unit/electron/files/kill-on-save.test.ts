import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProjectText } from '../../../../shared/project/parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const preload = path.resolve(here, '../../../e2e/kill-on-save.mjs');
const script = path.join(here, 'save-twice.ts');

let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('a save killed between the temporary write and the rename (test/e2e/kill-on-save.mjs)', () => {
  it('dies by SIGKILL at the second save, leaving the first version whole and the second in a .tmp file', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-kill-'));
    const file = path.join(dir, 'lenet.netcanvas.json');
    const child = spawnSync(process.execPath, ['--import', preload, '--import', 'tsx', script, file], {
      env: { ...process.env, NETCANVAS_KILL_ON_SAVE: '2' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');

    const saved = parseProjectText(await readFile(file, 'utf8'), 'lenet.netcanvas.json');
    expect(saved).toMatchObject({ ok: true, project: { name: 'first version' } });
    const leftovers = (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(/^lenet\.netcanvas\.json\..*\.tmp$/);
    expect(JSON.parse(await readFile(path.join(dir, leftovers[0]!), 'utf8'))).toMatchObject({ name: 'second version' });
  });

  it('changes nothing when NETCANVAS_KILL_ON_SAVE is not set', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-kill-'));
    const file = path.join(dir, 'lenet.netcanvas.json');
    const { NETCANVAS_KILL_ON_SAVE: _unset, ...env } = process.env;
    const child = spawnSync(process.execPath, ['--import', preload, '--import', 'tsx', script, file], { env, encoding: 'utf8', timeout: 30_000 });
    expect([child.status, child.signal, child.stderr]).toEqual([0, null, '']);
    expect(parseProjectText(await readFile(file, 'utf8'))).toMatchObject({ ok: true, project: { name: 'second version' } });
    expect(await readdir(dir)).toEqual(['lenet.netcanvas.json']);
  });
});
