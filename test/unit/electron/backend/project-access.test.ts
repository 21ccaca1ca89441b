import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend } from '../../../../electron/backend/backend.js';
import type { ApiResult, ErrorCode } from '../../../../shared/api/contract.js';
import { project } from '../../../fixtures/graphs.js';

let root: string;
let projectsDir: string;
let stateDir: string;
let outside: string;
let backend: Backend;

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'netcanvas-project-access-')));
  projectsDir = path.join(root, 'NetCanvas');
  stateDir = path.join(root, 'state');
  outside = path.join(root, 'elsewhere');
  await mkdir(projectsDir);
  await mkdir(outside);
  backend = start();
});
afterEach(async () => {
  backend.shutdown();
  await rm(root, { recursive: true, force: true });
});

const start = (singleWindow = false) => new Backend({ launcher: () => expect.fail('no trainer may start'), projectsDir, stateDir, runsDir: path.join(root, 'runs'), singleWindow });

const projectText = (name: string) => `${JSON.stringify({ ...project(), name }, null, 2)}\n`;

async function refused(method: string, params: object, code: ErrorCode): Promise<string> {
  const result = (await backend.dispatch(method, params)) as ApiResult<unknown>;
  if (result.ok) expect.fail(`${method} should have failed with ${code}`);
  expect(result.error.code).toBe(code);
  return result.error.message;
}

describe('project paths with links in their folders', () => {
  it('refuses to read or write through a link inside the projects folder that leads out of it', async () => {
    await writeFile(path.join(outside, 'secret.json'), projectText('Secret'));
    // As if ~/NetCanvas/sync -> / : every .json below it would be in reach.
    await symlink(outside, path.join(projectsDir, 'sync'));

    const read = await refused('projects.open', { path: path.join(projectsDir, 'sync', 'secret.json') }, 'FORBIDDEN');
    expect(read).toBe(
      `NetCanvas may not use ${path.join(projectsDir, 'sync', 'secret.json')}, which is ${path.join(outside, 'secret.json')}: it is outside the projects folder ${projectsDir} and was not chosen in a dialog or opened before.`,
    );
    await refused('projects.save', { project: { ...project(), name: 'x' }, path: path.join(projectsDir, 'sync', 'new.json') }, 'FORBIDDEN');
    await refused('projects.autosave', { docId: 'doc', owner: { client: 'c', window: 'w' }, project: project(), path: path.join(projectsDir, 'sync', 'secret.json') }, 'FORBIDDEN');
    expect(await readdir(outside)).toEqual(['secret.json']);
    expect(await readFile(path.join(outside, 'secret.json'), 'utf8')).toBe(projectText('Secret'));
  });

  it('still reads and writes through a link that stays inside the projects folder', async () => {
    await mkdir(path.join(projectsDir, 'real'));
    await symlink(path.join(projectsDir, 'real'), path.join(projectsDir, 'alias'));
    const file = path.join(projectsDir, 'alias', 'mine.json');
    expect(await backend.dispatch('projects.save', { project: { ...project(), name: 'Mine' }, path: file })).toMatchObject({ ok: true });
    await expect(backend.call('projects.open', { path: file })).resolves.toMatchObject({ project: { name: 'Mine' } });
    expect(await readdir(path.join(projectsDir, 'real'))).toEqual(['mine.json']);
  });
});

describe('special files among project files', () => {
  it('refuses a named pipe as a project file without waiting for a writer, with the same code as a folder', async () => {
    execFileSync('mkfifo', [path.join(projectsDir, 'pipe.netcanvas.json')]);
    expect(await refused('projects.open', { path: path.join(projectsDir, 'pipe.netcanvas.json') }, 'FILE_REFUSED')).toContain('is a named pipe, not a project file');
    await mkdir(path.join(projectsDir, 'folder.netcanvas.json'));
    expect(await refused('projects.open', { path: path.join(projectsDir, 'folder.netcanvas.json') }, 'FILE_REFUSED')).toContain('is a folder, not a project file');
  });

  it('lists recovery copies without hanging on a named pipe among them, naming it as a problem', async () => {
    backend.shutdown();
    backend = start(true);
    const owner = { client: 'c', window: 'w' };
    await backend.call('projects.autosave', { docId: 'doc', owner, project: { ...project(), name: 'Kept' }, path: null });
    const pipe = path.join(stateDir, 'recovery', 'stuck.json');
    execFileSync('mkfifo', [pipe]);
    const listed = await backend.call('projects.recoveries', { owner });
    expect(listed.copies.map((c) => c.project.name)).toEqual(['Kept']);
    expect(listed.problems).toEqual([`The recovery copy ${pipe} cannot be read: ${pipe} is a named pipe, not a project file.`]);
  });

  it('reads the recent list and a run record that are named pipes as none, without waiting', async () => {
    await mkdir(stateDir, { recursive: true });
    execFileSync('mkfifo', [path.join(stateDir, 'recent.json')]);
    expect((await backend.call('projects.list', {})).recent).toEqual([]);
    await mkdir(path.join(root, 'runs', 'net', 'run-1'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'runs', 'net', 'run-1', 'run.json')]);
    expect(await backend.call('runs.list', { projectName: 'net' })).toEqual([]);
  });
});
