import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { project } from '../../../fixtures/graphs.js';
import type { WindowEvent } from '../../../../shared/api/contract.js';
import { Backend } from '../../../../electron/backend/backend.js';
import { loadRenderer, stubDesktopWindow } from '../page.js';

/**
 * The page as the desktop window has it: `window.netcanvas` in front of a real Backend,
 * and the window events the desktop shell sends.
 */
const listeners = new Set<(event: WindowEvent) => void>();
const send = (event: WindowEvent) => listeners.forEach((listener) => listener(event));
let dir: string;
let backend: Backend;
/** The requests the page made, in order. */
const asked: { method: string; params: unknown }[] = [];

/** The parts of the renderer's stores these tests use. */
interface Stores {
  graph: { useGraphStore: { getState(): { meta: { name: string } } }; renameProject(name: string): void };
  ui: {
    useUiStore: { getState(): { notice: { text: string } | null; confirmation: { message: string; resolve(choice: string | null): void } | null } };
    openDialog(kind: 'recovery'): void;
    closeDialog(): void;
  };
  files: { startFirstDocument(): void };
  autosave: { offerRecoveries(): Promise<void> };
  menu: { installMenuCommands(): () => void };
}
let stores: Stores;

async function projectFile(name: string): Promise<string> {
  const file = path.join(dir, 'elsewhere', `${name}.netcanvas.json`);
  await writeFile(file, JSON.stringify({ ...project(), name }));
  // As the desktop shell does before it sends the file.
  backend.allowProjectFile(file);
  return file;
}
const shownName = () => stores.graph.useGraphStore.getState().meta.name;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-open-file-'));
  await mkdir(path.join(dir, 'elsewhere'));
  backend = new Backend({ launcher: () => expect.fail('no trainer may start'), projectsDir: path.join(dir, 'projects'), stateDir: path.join(dir, 'state'), runsDir: path.join(dir, 'runs'), singleWindow: true });
  stubDesktopWindow({
    request: (method, params) => {
      asked.push({ method, params });
      return backend.dispatch(method, params);
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  stores = {
    graph: await loadRenderer('stores/graphStore.ts'),
    ui: await loadRenderer('stores/uiStore.ts'),
    files: await loadRenderer('stores/fileActions.ts'),
    autosave: await loadRenderer('stores/autosave.ts'),
    menu: await loadRenderer('commands/menuCommands.ts'),
  } as Stores;
});

describe('a file the desktop asks the page to open', () => {
  it('sent as the page loads, opens once the app is up and the recovery copies were offered', async () => {
    const file = await projectFile('from the file manager');
    send({ topic: 'open-file', path: file });
    // What the app does as it starts.
    stores.files.startFirstDocument();
    stores.menu.installMenuCommands();
    expect(shownName()).not.toBe('from the file manager');
    void stores.autosave.offerRecoveries();
    await vi.waitFor(() => expect(shownName()).toBe('from the file manager'));
  });

  it('waits for the recovery question to be answered before it replaces the canvas', async () => {
    const file = await projectFile('after the recovery question');
    stores.ui.openDialog('recovery');
    send({ topic: 'open-file', path: file });
    // Whatever the page would do at once, it has done by now: it has not asked for the file.
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked.filter((a) => a.method === 'projects.open')).toHaveLength(1);
    expect(shownName()).toBe('from the file manager');
    stores.ui.closeDialog();
    await vi.waitFor(() => expect(shownName()).toBe('after the recovery question'));
  });

  it('asks about unsaved work first, and opens only when told to', async () => {
    stores.graph.renameProject('my unsaved work');
    const file = await projectFile('second launch');
    send({ topic: 'open-file', path: file });
    await vi.waitFor(() => expect(stores.ui.useUiStore.getState().confirmation).not.toBeNull());
    expect(stores.ui.useUiStore.getState().confirmation!.message).toMatch(/my unsaved work.*not saved/);
    stores.ui.useUiStore.getState().confirmation!.resolve('cancel');
    await new Promise((resolve) => setImmediate(resolve));
    expect(shownName()).toBe('my unsaved work');
    send({ topic: 'open-file', path: file });
    await vi.waitFor(() => expect(stores.ui.useUiStore.getState().confirmation).not.toBeNull());
    stores.ui.useUiStore.getState().confirmation!.resolve('discard');
    await vi.waitFor(() => expect(shownName()).toBe('second launch'));
  });

  it('that the Backend was not given is refused in words, and the canvas keeps its project', async () => {
    const file = path.join(dir, 'elsewhere', 'not-given.netcanvas.json');
    await writeFile(file, JSON.stringify({ ...project(), name: 'not given' }));
    send({ topic: 'open-file', path: file });
    await vi.waitFor(() => expect(stores.ui.useUiStore.getState().notice?.text).toMatch(/may not use/));
    expect(shownName()).toBe('second launch');
  });
});
