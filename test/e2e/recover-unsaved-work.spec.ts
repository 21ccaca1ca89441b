import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { layer } from './canvas.js';
import { expect, loadTemplate, screenshot, startServe, tempDirs, test } from './fixtures.js';

/** The project as its file would hold it, through the Download command. */
async function downloaded(page: Page): Promise<unknown> {
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+K');
  await page.keyboard.type('Download project file');
  await page.keyboard.press('Enter');
  return JSON.parse(readFileSync(await (await download).path(), 'utf8'));
}

async function recoveryCopyWritten(page: Page): Promise<void> {
  await expect(page.getByTestId('autosave-status')).toContainText('recovery copy', { timeout: 15_000 });
}

test('after a reload, unsaved work is offered back from its recovery copy, exactly as it was', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  await expect(app.getByTestId('unsaved')).toHaveCount(0);
  const dense = layer(app, 'Dense').first();
  await dense.click();
  await app.getByLabel('Units').fill('100');
  const box = (await dense.boundingBox())!;
  await app.mouse.move(box.x + 30, box.y + 12);
  await app.mouse.down();
  await app.mouse.move(box.x + 90, box.y + 160, { steps: 8 });
  await app.mouse.up();
  await app.getByTestId('palette-Dropout').click();
  await expect(app.getByTestId('unsaved')).toBeVisible();
  await expect(app).toHaveTitle(/^● MLP on MNIST/);
  await recoveryCopyWritten(app);
  const before = await downloaded(app);

  // The page asks before it goes; told to go anyway, the next start offers the work back.
  let asked = false;
  app.on('dialog', (dialog) => {
    asked = dialog.type() === 'beforeunload';
    void dialog.accept();
  });
  await app.reload();
  expect(asked).toBe(true);
  const prompt = app.getByTestId('recovery-dialog');
  await expect(prompt).toBeVisible();
  await expect(prompt.getByTestId('recovery-copy')).toContainText('MLP on MNIST');
  await expect(prompt.getByTestId('recovery-copy')).toContainText(/saved .*\(less than a minute ago\)/);
  await screenshot(app, 'recovery-prompt');
  await prompt.getByRole('button', { name: 'Restore' }).click();
  await expect(prompt).toHaveCount(0);
  await expect(app.getByTestId('project-name')).toHaveText('MLP on MNIST');
  await expect(app.getByTestId('unsaved')).toBeVisible();
  expect(await downloaded(app)).toEqual(before);
});

test('a Backend killed between the temporary write and the rename leaves the saved project intact', async ({ page }) => {
  const dirs = tempDirs();
  const children: ChildProcess[] = [];
  try {
    // The second save kills the server after writing the temporary file, before renaming it.
    const first = await startServe({ dirs, nodeArgs: ['--import', './test/e2e/kill-on-save.mjs'], env: { NETCANVAS_KILL_ON_SAVE: '2' } });
    children.push(first.child);
    await page.goto(first.info.url);
    await loadTemplate(page, 'MLP on MNIST');
    await page.keyboard.press('Control+S');
    const saveAs = page.getByTestId('save-as-dialog');
    await saveAs.getByLabel('File name').fill('digits');
    await saveAs.getByLabel('File name').press('Enter');
    await expect(page.getByTestId('notice')).toContainText('Saved “MLP on MNIST”');
    const file = path.join(dirs.projectsDir, 'digits.netcanvas.json');
    const saved = readFileSync(file, 'utf8');

    await layer(page, 'Dense').first().click();
    await page.getByLabel('Units').fill('100');
    await recoveryCopyWritten(page);
    const exited = new Promise((resolve) => first.child.once('exit', (_code, signal) => resolve(signal)));
    await page.getByTestId('canvas').focus();
    await page.keyboard.press('Control+S');
    expect(await exited).toBe('SIGKILL');
    await expect(page.getByTestId('notice')).toContainText('connection to the NetCanvas server was lost');

    // On disk: the file as first saved, whole; the half-done save only in a temporary file beside it.
    expect(readFileSync(file, 'utf8')).toBe(saved);
    expect(readdirSync(dirs.projectsDir).some((name) => name.endsWith('.tmp'))).toBe(true);

    // Restarted where it was (same address, so the same browser storage): the way a user starts it again.
    const second = await startServe({ dirs, port: Number(new URL(first.info.url).port) });
    children.push(second.child);
    await page.goto(second.info.url);
    // The edit is not lost either: its recovery copy is offered.
    const prompt = page.getByTestId('recovery-dialog');
    await expect(prompt.getByTestId('recovery-copy')).toContainText('MLP on MNIST');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+O');
    const rows = page.getByTestId('open-dialog').getByTestId('project-row');
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText('digits.netcanvas.json');
    await rows.click();
    await expect(page.getByTestId('project-name')).toHaveText('MLP on MNIST');
    await expect(page.getByTestId('unsaved')).toHaveCount(0);
    await layer(page, 'Dense').first().click();
    await expect(page.getByLabel('Units')).toHaveValue('128');
  } finally {
    for (const child of children) child.kill('SIGTERM');
    expect(existsSync(dirs.projectsDir)).toBe(true);
  }
});
