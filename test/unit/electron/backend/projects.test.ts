import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backend, type BackendOptions } from '../../../../electron/backend/backend.js';
import type { ProjectDialogs } from '../../../../electron/backend/projects.js';
import type { TrainerHandle } from '../../../../electron/training/launcher.js';
import { RECOVERY_LIVE_MS, type ApiResult, type ErrorCode, type MethodName, type ParamsOf, type ResultOf, type SavedRun } from '../../../../shared/api/contract.js';
import { parseProjectText } from '../../../../shared/project/parse.js';
import { project } from '../../../fixtures/graphs.js';

let root: string;
let projectsDir: string;
let stateDir: string;
let runsDir: string;
let backend: Backend;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-projects-'));
  projectsDir = path.join(root, 'NetCanvas');
  stateDir = path.join(root, 'state');
  runsDir = path.join(root, 'runs');
  await mkdir(projectsDir);
  await mkdir(path.join(root, 'elsewhere'));
});
afterEach(async () => {
  backend?.shutdown();
  await backend?.flushRuns();
  await rm(root, { recursive: true, force: true });
});

/** A trainer that starts and never reports: its run stays active. */
const silentTrainer = (): TrainerHandle => ({ pid: null, send: () => undefined, onMessage: () => undefined, onExit: () => undefined, kill: () => undefined });

function start(options: Partial<BackendOptions> = {}): Backend {
  backend = new Backend({ launcher: silentTrainer, projectsDir, stateDir, runsDir, ...options });
  return backend;
}

const call = <M extends MethodName>(method: M, params: ParamsOf<M>) => backend.call(method, params);
const request = <M extends MethodName>(method: M, params: ParamsOf<M>) => backend.dispatch(method, params) as Promise<ApiResult<ResultOf<M>>>;

async function refused<M extends MethodName>(method: M, params: ParamsOf<M>, code: ErrorCode): Promise<string> {
  const result = await request(method, params);
  if (result.ok) expect.fail(`${method} should have failed with ${code}`);
  expect(result.error.code).toBe(code);
  return result.error.message;
}

const named = (name: string) => ({ ...project(), name });
const projectText = (name: string) => `${JSON.stringify(named(name), null, 2)}\n`;

async function writeAt(file: string, text: string, minutesAgo = 0): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  const when = new Date(Date.now() - minutesAgo * 60_000);
  await utimes(file, when, when);
  return file;
}

/** Fake native dialogs that hand back the answers queued for them. */
function dialogs(answers: { open?: Array<string | null>; save?: Array<string | null> }): ProjectDialogs & { offered: string[] } {
  const offered: string[] = [];
  return {
    offered,
    open: async () => answers.open?.shift() ?? null,
    save: async (defaultFileName) => {
      offered.push(defaultFileName);
      return answers.save?.shift() ?? null;
    },
  };
}

describe('projects.list', () => {
  it('lists the folder newest first, naming damaged and newer files by their stem with the problem, skipping .tmp and hidden files', async () => {
    start();
    await writeAt(path.join(projectsDir, 'lenet.netcanvas.json'), projectText('LeNet'), 30);
    await writeAt(path.join(projectsDir, 'half.netcanvas.json'), '{"schemaVersion": 1,', 20);
    await writeAt(path.join(projectsDir, 'future.netcanvas.json'), JSON.stringify({ ...named('From 2030'), schemaVersion: 99 }), 10);
    await writeAt(path.join(projectsDir, 'mlp.netcanvas.json'), projectText('My MLP'), 0);
    await writeAt(path.join(projectsDir, 'mlp.netcanvas.json.4242.deadbeef.tmp'), projectText('half-saved'));
    await writeAt(path.join(projectsDir, '.hidden.netcanvas.json'), projectText('Hidden'));
    await writeAt(path.join(projectsDir, 'notes.txt'), 'not a project');

    const listed = await call('projects.list', {});
    expect(listed).toMatchObject({ dir: projectsDir, dialogs: false, recent: [] });
    expect(listed.projects.map((p) => [p.fileName, p.name])).toEqual([
      ['mlp.netcanvas.json', 'My MLP'],
      ['future.netcanvas.json', 'future'],
      ['half.netcanvas.json', 'half'],
      ['lenet.netcanvas.json', 'LeNet'],
    ]);
    const [mlp, future, half] = listed.projects;
    expect(mlp!.problem).toBeUndefined();
    expect(future!.problem).toMatch(/future\.netcanvas\.json was made by a newer NetCanvas \(schema 99/);
    expect(half!.problem).toMatch(/half\.netcanvas\.json: The file is not valid JSON/);
    expect(mlp!.path).toBe(path.join(projectsDir, 'mlp.netcanvas.json'));
  });

  it('lists a projects folder that does not exist yet as empty, and creates it on the first save', async () => {
    projectsDir = path.join(root, 'not-yet');
    start();
    expect((await call('projects.list', {})).projects).toEqual([]);
    await call('projects.saveAs', { project: named('First'), fileName: 'first' });
    expect((await call('projects.list', {})).projects.map((p) => p.name)).toEqual(['First']);
  });
});

describe('projects.open', () => {
  it('opens a listed file and puts it first in the recent list', async () => {
    start();
    const file = await writeAt(path.join(projectsDir, 'lenet.netcanvas.json'), projectText('LeNet'));
    const opened = await call('projects.open', { path: file });
    expect(opened).toEqual({ file: expect.objectContaining({ path: file, fileName: 'lenet.netcanvas.json', name: 'LeNet' }), project: named('LeNet'), warnings: [] });
    expect((await call('projects.list', {})).recent.map((r) => r.path)).toEqual([file]);
  });

  it('imports a Keras model file, saying so', async () => {
    start();
    const file = await writeAt(path.join(projectsDir, 'keras-mlp.json'), await readFile('test/fixtures/keras/keras2-sequential-mlp.json', 'utf8'));
    const opened = await call('projects.open', { path: file });
    expect(opened).toMatchObject({ importedFrom: 'keras2', project: { schemaVersion: 1 } });
  });

  it('refuses a damaged file with the parser message, and leaves its bytes as they were', async () => {
    start();
    const file = await writeAt(path.join(projectsDir, 'half.netcanvas.json'), '{"schemaVersion": 1,', 5);
    const before = await stat(file);
    const message = await refused('projects.open', { path: file }, 'INVALID_PROJECT');
    expect(message).toMatch(/^half\.netcanvas\.json: The file is not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe('{"schemaVersion": 1,');
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    expect((await call('projects.list', {})).recent).toEqual([]);
  });

  it('refuses a file from a newer NetCanvas, saying to update', async () => {
    start();
    const file = await writeAt(path.join(projectsDir, 'future.netcanvas.json'), JSON.stringify({ ...named('x'), schemaVersion: 99 }));
    expect(await refused('projects.open', { path: file }, 'INVALID_PROJECT')).toMatch(/made by a newer NetCanvas.*Update NetCanvas/);
  });

  it('says which file is missing', async () => {
    start();
    const file = path.join(projectsDir, 'gone.netcanvas.json');
    expect(await refused('projects.open', { path: file }, 'NOT_FOUND')).toBe(`There is no file at ${file}.`);
  });

  it('refuses files outside the projects folder, ../ escapes, links out of it, folders and non-JSON files, naming the path', async () => {
    start();
    const outside = await writeAt(path.join(root, 'elsewhere', 'secret.json'), projectText('Secret'));
    expect(await refused('projects.open', { path: outside }, 'FORBIDDEN')).toContain(`NetCanvas may not use ${outside}: it is outside the projects folder ${projectsDir}`);
    const escape = `${projectsDir}/../elsewhere/secret.json`;
    expect(await refused('projects.open', { path: escape }, 'FORBIDDEN')).toContain(outside);

    await symlink(outside, path.join(projectsDir, 'link.netcanvas.json'));
    expect(await refused('projects.open', { path: path.join(projectsDir, 'link.netcanvas.json') }, 'FORBIDDEN')).toContain(`a link to ${outside}`);
    await mkdir(path.join(projectsDir, 'folder.netcanvas.json'));
    expect(await refused('projects.open', { path: path.join(projectsDir, 'folder.netcanvas.json') }, 'FILE_REFUSED')).toContain('is a folder');
    await writeAt(path.join(projectsDir, 'notes.txt'), projectText('Notes'));
    expect(await refused('projects.open', { path: path.join(projectsDir, 'notes.txt') }, 'FORBIDDEN')).toContain('only .json project files');
  });

  it('in browser mode, asks for a path from the list rather than a dialog', async () => {
    start();
    expect(await refused('projects.open', {}, 'INVALID_REQUEST')).toBe('Choose a project from the list: this NetCanvas has no open dialog.');
  });
});

describe('projects.save', () => {
  it('writes over its own file atomically, leaving a file that parses and no temporary files, and updates the recent list', async () => {
    start();
    const file = await writeAt(path.join(projectsDir, 'lenet.netcanvas.json'), projectText('LeNet'));
    await call('projects.open', { path: file });
    const saved = await call('projects.save', { project: named('LeNet v2'), path: file });
    expect(saved.file).toMatchObject({ path: file, name: 'LeNet v2' });
    const text = await readFile(file, 'utf8');
    expect(text).toBe(projectText('LeNet v2'));
    expect(parseProjectText(text)).toMatchObject({ ok: true, project: { name: 'LeNet v2' } });
    expect(await readdir(projectsDir)).toEqual(['lenet.netcanvas.json']);
    const recent = JSON.parse(await readFile(path.join(stateDir, 'recent.json'), 'utf8'));
    expect(recent).toEqual([{ path: file, openedAt: expect.any(String) }]);
  });

  it('refuses a path never opened, chosen or in the projects folder, and writes nothing there', async () => {
    start();
    const target = path.join(root, 'elsewhere', 'planted.netcanvas.json');
    expect(await refused('projects.save', { project: named('x'), path: target }, 'FORBIDDEN')).toContain(target);
    expect(await readdir(path.join(root, 'elsewhere'))).toEqual([]);
  });

  it('refuses to overwrite a file a newer NetCanvas saved since, pointing to Save as', async () => {
    start();
    const file = await writeAt(path.join(projectsDir, 'shared.netcanvas.json'), projectText('Shared'));
    await call('projects.open', { path: file });
    const newer = JSON.stringify({ ...named('Shared'), schemaVersion: 2 });
    await writeFile(file, newer);
    expect(await refused('projects.save', { project: named('Shared'), path: file }, 'INVALID_PROJECT')).toMatch(/saved by a newer NetCanvas since .*Use Save as/);
    expect(await readFile(file, 'utf8')).toBe(newer);
  });
});

describe('projects.saveAs in browser mode', () => {
  it('saves into the projects folder as <name>.netcanvas.json', async () => {
    start();
    const saved = await call('projects.saveAs', { project: named('My Net'), fileName: 'My Net.json' });
    expect(saved).toEqual({ file: expect.objectContaining({ path: path.join(projectsDir, 'My Net.netcanvas.json'), name: 'My Net' }) });
    expect(parseProjectText(await readFile(path.join(projectsDir, 'My Net.netcanvas.json'), 'utf8'))).toMatchObject({ ok: true, project: { name: 'My Net' } });
  });

  it('refuses names that could be anything but a plain file in the projects folder, saying why', async () => {
    start();
    const why = (fileName: string) => refused('projects.saveAs', { project: named('x'), fileName }, 'INVALID_REQUEST');
    expect(await why('../escape')).toContain('cannot contain / or \\');
    expect(await why('a\\b')).toContain('cannot contain / or \\');
    expect(await why('a..b')).toContain('cannot contain ".."');
    expect(await why('.hidden')).toContain('cannot start with a dot');
    expect(await why('tab\there')).toContain('control characters');
    expect(await why('n'.repeat(101))).toContain('is 101 characters long; keep it to 100');
    expect(await why('  .netcanvas.json')).toBe('Give the project file a name.');
    expect(await refused('projects.saveAs', { project: named('x') }, 'INVALID_REQUEST')).toContain('no save dialog');
    expect(await readdir(projectsDir)).toEqual([]);
  });

  it('will not replace an existing file unless asked to overwrite', async () => {
    start();
    const file = await writeAt(path.join(projectsDir, 'lenet.netcanvas.json'), projectText('Old LeNet'));
    const message = await refused('projects.saveAs', { project: named('New LeNet'), fileName: 'lenet' }, 'EXISTS');
    expect(message).toBe(`There is already a project file named lenet.netcanvas.json in ${projectsDir}.`);
    expect(await readFile(file, 'utf8')).toBe(projectText('Old LeNet'));
    await call('projects.saveAs', { project: named('New LeNet'), fileName: 'lenet', overwrite: true });
    expect(await readFile(file, 'utf8')).toBe(projectText('New LeNet'));
  });
});

describe('projects with native dialogs', () => {
  it('reports the dialogs, and returns cancelled when the user closes them', async () => {
    start({ dialogs: dialogs({ open: [null], save: [null] }) });
    expect((await call('projects.list', {})).dialogs).toBe(true);
    expect(await call('projects.open', {})).toEqual({ cancelled: true });
    expect(await call('projects.saveAs', { project: named('x') })).toEqual({ cancelled: true });
    expect(await readdir(projectsDir)).toEqual([]);
  });

  it('saves where the save dialog says, offering the project name, and may save there again', async () => {
    const chosen = path.join(root, 'elsewhere', 'mine.netcanvas.json');
    const fake = dialogs({ save: [chosen] });
    start({ dialogs: fake });
    expect(await call('projects.saveAs', { project: named('LeNet 5') })).toMatchObject({ file: { path: chosen, name: 'LeNet 5' } });
    expect(fake.offered).toEqual(['lenet-5.netcanvas.json']);
    await call('projects.save', { project: named('LeNet 5b'), path: chosen });
    expect(await readFile(chosen, 'utf8')).toBe(projectText('LeNet 5b'));
  });

  it('opens the file chosen in the open dialog, wherever it is', async () => {
    const chosen = await writeAt(path.join(root, 'elsewhere', 'theirs.netcanvas.json'), projectText('Theirs'));
    start({ dialogs: dialogs({ open: [chosen] }) });
    expect(await call('projects.open', {})).toMatchObject({ file: { path: chosen, name: 'Theirs' }, project: { name: 'Theirs' } });
    await call('projects.save', { project: named('Ours now'), path: chosen });
    expect((await call('projects.list', {})).recent.map((r) => r.name)).toEqual(['Ours now']);
  });

  it('says the folder is missing when the chosen one has gone, instead of creating it', async () => {
    const chosen = path.join(root, 'unplugged-drive', 'mine.netcanvas.json');
    start({ dialogs: dialogs({ save: [chosen] }) });
    const message = await refused('projects.saveAs', { project: named('x') }, 'IO');
    expect(message).toBe(`Could not write ${chosen}: the folder ${path.dirname(chosen)} does not exist.`);
    expect(await readdir(root)).not.toContain('unplugged-drive');
  });
});

describe('carrying runs to a project file', () => {
  async function finishedRun(runId: string): Promise<string> {
    const dir = path.join(runsDir, 'test-network', runId);
    const run: SavedRun = {
      runId,
      projectName: 'test network',
      startedAt: new Date().toISOString(),
      status: 'completed',
      task: 'classify',
      settings: {},
      history: [],
      points: [],
      checkpoints: { last: 1, best: 1 },
      dir,
    };
    await writeAt(path.join(dir, 'run.json'), JSON.stringify(run));
    await writeAt(path.join(dir, 'last', 'weights.bin'), 'weights');
    return dir;
  }

  it('copies finished runs beside the file, leaving the originals, and skips active, missing and already-copied runs', async () => {
    start();
    const done = await finishedRun('run-done');
    await finishedRun('run-there');
    const { runId: active } = await call('training.start', { project: project(), config: { maxBatches: 1 } });
    const beside = path.join(projectsDir, 'net.runs');
    await writeAt(path.join(beside, 'run-there', 'run.json'), 'kept as it was');

    const carryRuns = [{ projectName: 'test network', runIds: ['run-done', active, 'run-missing', 'run-there'] }];
    await call('projects.saveAs', { project: project(), fileName: 'net', carryRuns });

    expect((await readdir(beside)).sort()).toEqual(['run-done', 'run-there']);
    expect(await readFile(path.join(beside, 'run-done', 'last', 'weights.bin'), 'utf8')).toBe('weights');
    expect(await readFile(path.join(beside, 'run-there', 'run.json'), 'utf8')).toBe('kept as it was');
    expect(await readFile(path.join(done, 'last', 'weights.bin'), 'utf8')).toBe('weights');
    const runs = await call('runs.list', { projectName: 'test network', projectPath: path.join(projectsDir, 'net.netcanvas.json') });
    expect(runs.map((r) => [r.runId, r.dir])).toEqual([['run-done', path.join(beside, 'run-done')]]);
  });

  it('refuses a run id that is not a folder name', async () => {
    start();
    const message = await refused('projects.saveAs', { project: project(), fileName: 'net', carryRuns: [{ projectName: 'test network', runIds: ['../../elsewhere'] }] }, 'INVALID_REQUEST');
    expect(message).toBe('projects.saveAs: carryRuns[0].runIds[0]: a run id is letters, digits, - and _');
    expect(await readdir(projectsDir)).toEqual([]);
  });
});

const me = { client: 'browser-1', window: 'tab-1' };

describe('recovery copies', () => {
  it('gives back exactly what was autosaved, newest first', async () => {
    start();
    const file = path.join(projectsDir, 'lenet.netcanvas.json');
    await call('projects.autosave', { docId: 'doc-a', owner: me, project: named('Unsaved'), path: null });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { savedAt } = await call('projects.autosave', { docId: 'doc-b', owner: me, project: named('LeNet, edited'), path: file });
    const { copies, problems } = await call('projects.recoveries', { owner: me });
    expect(problems).toEqual([]);
    expect(copies).toEqual([
      { docId: 'doc-b', owner: me, path: file, savedAt, project: named('LeNet, edited') },
      { docId: 'doc-a', owner: me, path: null, savedAt: expect.any(String), project: named('Unsaved') },
    ]);
  });

  it('refuses to autosave for a path it may not write', async () => {
    start();
    const outside = path.join(root, 'elsewhere', 'x.netcanvas.json');
    expect(await refused('projects.autosave', { docId: 'doc', owner: me, project: named('x'), path: outside }, 'FORBIDDEN')).toContain(outside);
  });

  it('after a restart, lets the recovered work be saved back to its own file', async () => {
    const file = await writeAt(path.join(root, 'elsewhere', 'mine.netcanvas.json'), projectText('Mine'));
    start({ dialogs: dialogs({ open: [file] }) });
    await call('projects.open', {});
    await call('projects.autosave', { docId: 'doc', owner: me, project: named('Mine, edited'), path: file });
    backend.shutdown();
    // The recent list would grant the file too; without it, only the recovery copy does.
    await rm(path.join(stateDir, 'recent.json'));
    start();
    expect(await refused('projects.save', { project: named('Mine, edited'), path: file }, 'FORBIDDEN')).toContain(file);
    const { copies } = await call('projects.recoveries', { owner: me });
    await call('projects.save', { project: copies[0]!.project, path: copies[0]!.path! });
    expect(await readFile(file, 'utf8')).toBe(projectText('Mine, edited'));
  });

  it('names a damaged or invalid copy of its own browser in problems and leaves it on disk untouched', async () => {
    start();
    await call('projects.autosave', { docId: 'good', owner: me, project: named('Good'), path: null });
    const invalid = await writeAt(path.join(stateDir, 'recovery', 'bad.json'), JSON.stringify({ docId: 'bad', owner: me, path: null, savedAt: 'now', project: { schemaVersion: 1 } }));
    // Another browser's damaged copy, and one too damaged to say whose it is: not this browser's business.
    await writeAt(path.join(stateDir, 'recovery', 'theirs.json'), JSON.stringify({ docId: 'theirs', owner: { client: 'browser-2', window: 'w' }, project: {} }));
    const damaged = await writeAt(path.join(stateDir, 'recovery', 'half.json'), '{"docId": "half", "proj');
    const { copies, problems } = await call('projects.recoveries', { owner: me });
    expect(copies.map((c) => c.docId)).toEqual(['good']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^The recovery copy ${invalid.replace(/[.\\]/g, '\\$&')} is not a valid project: .*name`));
    expect(await readFile(damaged, 'utf8')).toBe('{"docId": "half", "proj');
    // With one window (the desktop app) every copy there is this user's: the damaged one is named too.
    backend.shutdown();
    start({ singleWindow: true });
    const single = await call('projects.recoveries', { owner: me });
    expect(single.problems).toContainEqual(expect.stringMatching(new RegExp(`^The recovery copy ${damaged.replace(/[.\\]/g, '\\$&')} is damaged: it is not valid JSON`)));
  });

  it('offers a copy to the window that wrote it, to another window of the browser only once it stopped writing, and never to another browser', async () => {
    start();
    await call('projects.autosave', { docId: 'live', owner: me, project: named('Live'), path: null });
    const otherTab = { client: me.client, window: 'tab-2' };
    const otherBrowser = { client: 'browser-2', window: 'tab-1' };
    expect((await call('projects.recoveries', { owner: me })).copies.map((c) => c.docId)).toEqual(['live']);
    // Another tab of the same browser while the first still writes: not yet, it is in use there.
    expect((await call('projects.recoveries', { owner: otherTab })).copies).toEqual([]);
    expect((await call('projects.recoveries', { owner: otherBrowser })).copies).toEqual([]);
    // A copy no longer written for longer than RECOVERY_LIVE_MS was left by a closed or crashed window.
    const file = path.join(stateDir, 'recovery', 'live.json');
    const copy = JSON.parse(await readFile(file, 'utf8')) as { savedAt: string };
    copy.savedAt = new Date(Date.now() - RECOVERY_LIVE_MS - 1000).toISOString();
    await writeAt(file, JSON.stringify(copy));
    expect((await call('projects.recoveries', { owner: otherTab })).copies.map((c) => c.docId)).toEqual(['live']);
    expect((await call('projects.recoveries', { owner: otherBrowser })).copies).toEqual([]);
  });

  it('offers the desktop app, which has one window, its copies however recently written', async () => {
    start({ singleWindow: true });
    await call('projects.autosave', { docId: 'crashed', owner: me, project: named('Crashed'), path: null });
    // The app restarted at once after a crash: a new window, and the copy a second old.
    const restarted = { client: me.client, window: 'window-after-restart' };
    expect((await call('projects.recoveries', { owner: restarted })).copies.map((c) => c.docId)).toEqual(['crashed']);
    // An update that moved the page to another origin starts its local storage afresh: the copy is still its own.
    const afterUpdate = { client: 'client-of-the-new-origin', window: 'w' };
    expect((await call('projects.recoveries', { owner: afterUpdate })).copies.map((c) => c.docId)).toEqual(['crashed']);
  });

  it('discards a copy once, and says when there was none', async () => {
    start();
    await call('projects.autosave', { docId: 'doc', owner: me, project: named('x'), path: null });
    expect(await call('projects.discardRecovery', { docId: 'doc' })).toEqual({ discarded: true });
    expect(await call('projects.discardRecovery', { docId: 'doc' })).toEqual({ discarded: false });
    expect(await call('projects.recoveries', { owner: me })).toEqual({ copies: [], problems: [] });
  });
});

describe('project paths in training requests', () => {
  it('refuses training.start and runs.list for a project file outside what the Backend may use', async () => {
    start({ launcher: () => expect.fail('no trainer may start') });
    const outside = path.join(root, 'elsewhere', 'x.netcanvas.json');
    expect(await refused('training.start', { project: project(), config: {}, projectPath: outside }, 'FORBIDDEN')).toContain(outside);
    expect(await refused('runs.list', { projectName: 'x', projectPath: outside }, 'FORBIDDEN')).toContain(outside);
  });

  it('trusts every path when told to, as the CLI is', async () => {
    start({ trustAllPaths: true });
    expect(await call('runs.list', { projectName: 'x', projectPath: path.join(root, 'elsewhere', 'x.netcanvas.json') })).toEqual([]);
  });
});
