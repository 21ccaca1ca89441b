import { mkdir, mkdtemp, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Backend, type BackendOptions } from '../../../../electron/backend/backend.js';
import { dataRoots } from '../../../../electron/backend/data-access.js';
import type { ProjectDialogs } from '../../../../electron/backend/projects.js';
import { createJob } from '../../../../electron/training/jobs/create.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import type { ErrorCode } from '../../../../shared/api/contract.js';
import { csvSourceSchema, type DatasetSourceInput } from '../../../../shared/data/source.js';
import { chain, node, project } from '../../../fixtures/graphs.js';

let backends: Backend[] = [];
afterEach(() => {
  backends.forEach((b) => b.shutdown());
  backends = [];
});

const tempDir = (name: string) => mkdtemp(path.join(os.tmpdir(), `netcanvas-grants-${name}-`));

function start(options: Partial<BackendOptions>): Backend {
  const backend = new Backend({ launcher: () => expect.fail('no trainer may start'), ephemeralRuns: true, ...options });
  backends.push(backend);
  return backend;
}

/** The error a request ends with: its code must be `code`. */
async function refused(backend: Backend, dataset: DatasetSourceInput, code: ErrorCode): Promise<string> {
  const result = await backend.dispatch('datasets.preview', { dataset });
  expect(result).toMatchObject({ ok: false, error: { code } });
  return result.ok ? '' : result.error.message;
}

async function readable(backend: Backend, dataset: DatasetSourceInput): Promise<number> {
  const result = await backend.dispatch('datasets.preview', { dataset });
  if (!result.ok) expect.fail(result.error.message);
  return (result.value as { report: { samples: number } }).report.samples;
}

async function table(dir: string, name = 'points.csv'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `x,label\n${Array.from({ length: 20 }, (_, i) => `${i},${i % 2 ? 'odd' : 'even'}`).join('\n')}\n`);
  return file;
}

/** The desktop's dialogs as a plain object: each choice of data answers the next path in `answers`. */
function fakeDialogs(answers: (string | null)[]): ProjectDialogs & { asked: { kind: string; defaultPath?: string }[] } {
  const asked: { kind: string; defaultPath?: string }[] = [];
  return {
    asked,
    open: async () => null,
    save: async () => null,
    chooseData: async (kind, defaultPath) => {
      asked.push({ kind, ...(defaultPath ? { defaultPath } : {}) });
      return answers.shift() ?? null;
    },
  };
}

describe('the desktop reads only data chosen in its dialog', () => {
  it('reads a chosen file and what is inside a chosen folder, refuses the rest, and remembers the choices', async () => {
    const stateDir = await tempDir('state');
    const data = await tempDir('data');
    const folder = path.join(data, 'folder');
    await mkdir(folder);
    const chosenFile = await table(data, 'chosen.csv');
    const other = await table(data, 'other.csv');
    const inFolder = await table(folder, 'inside.csv');
    const dialogs = fakeDialogs([chosenFile, folder, null]);
    const backend = start({ stateDir, dialogs });

    const message = await refused(backend, { kind: 'csv', path: chosenFile }, 'FORBIDDEN');
    expect(message).toBe(`NetCanvas may not read ${chosenFile}: it was not chosen in NetCanvas. Click Choose… beside the path and pick it, so that NetCanvas may read it.`);

    expect(await backend.call('datasets.choose', { kind: 'file', defaultPath: chosenFile })).toEqual({ path: chosenFile });
    expect(dialogs.asked[0]).toEqual({ kind: 'file', defaultPath: chosenFile });
    expect(await readable(backend, { kind: 'csv', path: chosenFile })).toBe(20);
    await refused(backend, { kind: 'csv', path: other }, 'FORBIDDEN');

    expect(await backend.call('datasets.choose', { kind: 'folder' })).toEqual({ path: folder });
    expect(await readable(backend, { kind: 'csv', path: inFolder })).toBe(20);
    expect(await backend.call('datasets.choose', { kind: 'file' })).toEqual({ cancelled: true });
    await refused(backend, { kind: 'csv', path: other }, 'FORBIDDEN');
    await refused(backend, { kind: 'text', path: '/etc/passwd' }, 'FORBIDDEN');

    // Reopened tomorrow: the choices are remembered in the state folder.
    expect(JSON.parse(await readFile(path.join(stateDir, 'allowed-data.json'), 'utf8'))).toEqual({ paths: [chosenFile, folder] });
    const tomorrow = start({ stateDir, dialogs: fakeDialogs([]) });
    expect(await readable(tomorrow, { kind: 'csv', path: chosenFile })).toBe(20);
    expect(await readable(tomorrow, { kind: 'csv', path: inFolder })).toBe(20);
    await refused(tomorrow, { kind: 'csv', path: other }, 'FORBIDDEN');
  });

  it('refuses /dev/zero even when it was chosen', async () => {
    const backend = start({ stateDir: await tempDir('state'), dialogs: fakeDialogs(['/dev/zero']) });
    await backend.call('datasets.choose', { kind: 'file' });
    expect(await refused(backend, { kind: 'text', path: '/dev/zero' }, 'FILE_REFUSED')).toContain('/dev/zero is a device, not a regular file');
  });

  it('starts no run on data that was not chosen', async () => {
    const backend = start({ stateDir: await tempDir('state'), dialogs: fakeDialogs([]) });
    const file = await table(await tempDir('data'));
    const p = project(chain(node('in', 'Input', { shape: [1] }), node('out', 'Dense', { units: 2, activation: 'softmax' })));
    const result = await backend.dispatch('training.start', { project: { ...p, training: { ...p.training, dataset: { kind: 'csv', path: file } } }, config: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining(file) } });
  });
});

describe('the Trainer keeps the Backend’s rule', () => {
  it('refuses to read a dataset outside the folders it is given, and a link leading out of them', async () => {
    const root = await tempDir('root');
    const outside = await table(await tempDir('outside'));
    const p = project(chain(node('in', 'Input', { shape: [1] }), node('out', 'Dense', { units: 2, activation: 'softmax' })));
    const on = (file: string) => ({ ...p, training: { ...p.training, dataset: csvSourceSchema.parse({ kind: 'csv', path: file }) } });
    const rule = { allowed: [root], refusal: 'it is outside the allowed folders.' };
    await expect(createJob(on(outside), resolveRunConfig(on(outside), {}), {}, rule)).rejects.toThrow(`NetCanvas may not read ${outside}: it is outside the allowed folders.`);
    await symlink(outside, path.join(root, 'link.csv'));
    await expect(createJob(on(path.join(root, 'link.csv')), resolveRunConfig(on(outside), {}), {}, rule)).rejects.toThrow(`a link to ${outside}`);
  });
});

describe('browser mode reads only inside its folders', () => {
  it('refuses /etc/shadow as text, /etc as an image folder, /dev/zero and a folder outside', async () => {
    const root = await tempDir('root');
    const elsewhere = await tempDir('elsewhere');
    const backend = start({ dataRoots: [root] });
    expect(await readable(backend, { kind: 'csv', path: await table(root) })).toBe(20);
    const why = await refused(backend, { kind: 'text', path: '/etc/shadow' }, 'FORBIDDEN');
    expect(why).toBe(`NetCanvas may not read /etc/shadow: it is outside the folders this server reads data from (${root}). Move the data into one of them, or start netcanvas serve with --allow <folder>.`);
    await refused(backend, { kind: 'image-folder', path: '/etc' }, 'FORBIDDEN');
    await refused(backend, { kind: 'text', path: '/dev/zero' }, 'FORBIDDEN');
    await refused(backend, { kind: 'csv', path: await table(elsewhere) }, 'FORBIDDEN');
    expect((await backend.dispatch('datasets.inspect', { dataset: { kind: 'csv', path: '/etc/passwd' } })).ok).toBe(false);
    // No dialog to choose with.
    expect(await backend.dispatch('datasets.choose', { kind: 'file' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it('reads in the home and projects folders by default, and nowhere else', async () => {
    const projectsDir = await tempDir('projects');
    const backend = start({ projectsDir });
    expect(await readable(backend, { kind: 'csv', path: await table(projectsDir) })).toBe(20);
    expect(await refused(backend, { kind: 'csv', path: '/etc/passwd' }, 'FORBIDDEN')).toContain(`(${os.homedir()}, ${projectsDir})`);
  });

  it('by default reads in the home folder, but never its hidden files and folders nor NetCanvas’s own state', async () => {
    const home = await realpath(await tempDir('home'));
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      await mkdir(path.join(home, '.ssh'));
      await writeFile(path.join(home, '.ssh', 'id_rsa'), 'PRIVATE KEY\n');
      await mkdir(path.join(home, '.aws'));
      await writeFile(path.join(home, '.aws', 'credentials.csv'), 'key,secret\nAKIA,abc\n');
      // Another user's recovery copy, written by this server into its state folder.
      await mkdir(path.join(home, '.netcanvas', 'recovery'), { recursive: true });
      await writeFile(path.join(home, '.netcanvas', 'recovery', 'doc-of-someone-else.json'), '{"project": "theirs"}\n');
      const runsDir = path.join(home, 'runs');
      await mkdir(path.join(runsDir, 'net', 'run-1'), { recursive: true });
      await writeFile(path.join(runsDir, 'net', 'run-1', 'run.json'), '{"runId": "run-1"}\n');
      await mkdir(path.join(home, 'data'));
      const mine = await table(path.join(home, 'data'));
      const backend = start({ projectsDir: path.join(home, 'NetCanvas'), runsDir });

      expect(await readable(backend, { kind: 'csv', path: mine })).toBe(20);
      expect(await refused(backend, { kind: 'text', path: path.join(home, '.ssh', 'id_rsa') }, 'FORBIDDEN')).toContain('.ssh is hidden');
      await refused(backend, { kind: 'csv', path: path.join(home, '.aws', 'credentials.csv') }, 'FORBIDDEN');
      await refused(backend, { kind: 'text', path: path.join(home, '.netcanvas', 'recovery') }, 'FORBIDDEN');
      expect(await refused(backend, { kind: 'text', path: path.join(runsDir, 'net', 'run-1', 'run.json') }, 'FORBIDDEN')).toContain(`it is in ${runsDir}, where NetCanvas keeps its own files`);
      // A folder dataset at the home folder names none of them.
      const listed = await backend.dispatch('datasets.preview', { dataset: { kind: 'image-folder', path: home } });
      expect(JSON.stringify(listed)).not.toMatch(/\.ssh|\.aws|\.netcanvas|doc-of-someone-else|run\.json/);
    } finally {
      process.env.HOME = saved;
    }
  });

  it('takes its folders from --allow and NETCANVAS_ALLOW, and names one that is not there', async () => {
    const a = await tempDir('a');
    const b = await tempDir('b');
    expect(dataRoots([a], b, '/unused')).toEqual([a, b]);
    expect(dataRoots([], `${a}${path.delimiter}${b}`, '/unused')).toEqual([a, b]);
    expect(dataRoots([], undefined, a)).toEqual([os.homedir(), a]);
    expect(() => dataRoots([path.join(a, 'missing')], undefined, a)).toThrow(`--allow names ${path.join(a, 'missing')}, which does not exist`);
    const file = await table(a);
    expect(() => dataRoots([], file, a)).toThrow(`NETCANVAS_ALLOW names ${file}, which is a file`);
  });
});

describe('the command line reads any path it is given', () => {
  it('reads outside any folder, but never /dev/zero or a file over the limit', async () => {
    const dir = await tempDir('cli');
    const backend = start({ trustAllPaths: true, readLimits: { table: 100 } });
    const file = await table(dir);
    expect(await refused(backend, { kind: 'csv', path: file }, 'FILE_REFUSED')).toMatch(new RegExp(`^${file} is \\d+ bytes, more than the 100 bytes NetCanvas reads from one table file\\.$`));
    expect(await refused(backend, { kind: 'csv', path: '/dev/zero' }, 'FILE_REFUSED')).toContain('is a device');
    const small = path.join(dir, 'small.csv');
    await writeFile(small, 'x,y\n1,a\n2,b\n3,a\n4,b\n');
    expect(await readable(backend, { kind: 'csv', path: small })).toBe(4);
  });
});
