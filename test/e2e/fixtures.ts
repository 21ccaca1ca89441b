import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect, type Page } from '@playwright/test';

export interface ServerInfo {
  url: string;
  origin: string;
  token: string;
}

/** Starts `netcanvas serve` exactly as a user would and reads the URL it prints. */
async function startServe(): Promise<{ info: ServerInfo; child: ChildProcess }> {
  // Runs started by the tests keep their records and checkpoints in a folder of their own.
  const runsDir = mkdtempSync(path.join(tmpdir(), 'netcanvas-e2e-runs-'));
  const child = spawn(process.execPath, ['bin/netcanvas.js', 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NETCANVAS_RUNS_DIR: runsDir },
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
  return { info: { url, origin: parsed.origin, token: parsed.searchParams.get('token')! }, child };
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
    await page.goto(server.url);
    await expect(page.getByText('NetCanvas', { exact: true })).toBeVisible();
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
