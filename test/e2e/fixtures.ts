import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';

export interface ServerInfo {
  url: string;
  origin: string;
  token: string;
  /** Where this server keeps projects, and its recovery copies and recent list. */
  projectsDir: string;
  stateDir: string;
}

export interface ServeOptions {
  /** Folders to use, e.g. a second server on the first one's files. */
  dirs?: { runsDir: string; projectsDir: string; stateDir: string };
  /** Node options, such as a preload that kills the server at a chosen moment. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** A port of its own choosing; 0 (any free one) by default. */
  port?: number;
}

export function tempDirs(): { runsDir: string; projectsDir: string; stateDir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'netcanvas-e2e-'));
  const dirs = { runsDir: path.join(root, 'runs'), projectsDir: path.join(root, 'projects'), stateDir: path.join(root, 'state') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return dirs;
}

/** Starts `netcanvas serve` exactly as a user would and reads the URL it prints. */
export async function startServe(options: ServeOptions = {}): Promise<{ info: ServerInfo; child: ChildProcess }> {
  // Runs, projects and recovery copies of the tests stay in folders of their own, never the user's.
  const dirs = options.dirs ?? tempDirs();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'bin/netcanvas.js', 'serve', '--port', String(options.port ?? 0)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NETCANVAS_RUNS_DIR: dirs.runsDir,
      NETCANVAS_PROJECTS_DIR: dirs.projectsDir,
      NETCANVAS_STATE_DIR: dirs.stateDir,
      // The tests' data: temporary folders and the fixtures.
      NETCANVAS_ALLOW: [tmpdir(), path.resolve('test/fixtures')].join(path.delimiter),
      ...options.env,
    },
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('netcanvas serve printed no URL within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`netcanvas serve exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  const parsed = new URL(url);
  return { info: { url, origin: parsed.origin, token: parsed.searchParams.get('token')!, projectsDir: dirs.projectsDir, stateDir: dirs.stateDir }, child };
}

export const test = base.extend<{ app: Page }, { server: ServerInfo }>({
  server: [
     
    async ({}, use) => {
      const { info, child } = await startServe();
      await use(info);
      child.kill('SIGTERM');
    },
    { scope: 'worker' },
  ],
  app: async ({ page, server }, use) => {
    // Each test starts as a fresh start would: no recovery copies left by the test before.
    rmSync(path.join(server.stateDir, 'recovery'), { recursive: true, force: true });
    await page.goto(server.url);
    await expect(page.getByText('NetCanvas', { exact: true })).toBeVisible();
    // The window opens on the start screen's gallery; these tests start from the canvas behind it.
    await page.getByRole('dialog', { name: 'Start' }).press('Escape');
    await expect(page.getByRole('dialog', { name: 'Start' })).toHaveCount(0);
    await use(page);
  },
});

export { expect };

export async function loadTemplate(page: Page, name: string): Promise<void> {
  await page.getByTestId('template-select').selectOption({ label: name });
  await expect(page.getByTestId('project-name')).toHaveText(name);
}

/** A short run through the UI: this many epochs of this many batches, trained to the end. */
export async function trainBriefly(page: Page, run: { epochs: number; batchesPerEpoch: number; timeout?: number }): Promise<void> {
  await page.getByTestId('epochs').fill(String(run.epochs));
  await page.getByText('More settings').click();
  await page.getByLabel('Batches per epoch').fill(String(run.batchesPerEpoch));
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('training-status')).toHaveText('completed', { timeout: run.timeout ?? 150_000 });
}

/** A picture of the app in the test's output; `npm run screenshots` (NETCANVAS_SCREENSHOTS=1) also refreshes docs/<docsName>. */
export async function screenshot(page: Page, name: string, docsName = name): Promise<void> {
  const shot = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path: shot });
  if (process.env.NETCANVAS_SCREENSHOTS) {
    mkdirSync('docs', { recursive: true });
    copyFileSync(shot, `docs/${docsName}.png`);
  }
}
