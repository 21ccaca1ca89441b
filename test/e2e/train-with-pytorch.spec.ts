import { spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, loadTemplate, screenshot, test } from './fixtures.js';

/** The Python the PyTorch engine would find, as `findTorchPython` looks: null when none imports torch. */
const torchPython = [process.env.NETCANVAS_PYTHON, '/usr/bin/python3', 'python3'].find((python) => python && spawnSync(python, ['-c', 'import torch, numpy']).status === 0);

const chartPoints = async (page: Page) => Number(await page.getByTestId('metrics-chart').getAttribute('data-points'));

test('a run on the PyTorch engine streams its batches into the chart, names where it trains, and ends with its test accuracy', async ({ app }) => {
  test.skip(!torchPython, 'no Python with PyTorch here (apt-get install python3-torch)');
  test.setTimeout(150_000);
  await loadTemplate(app, 'MLP on MNIST');
  await app.getByTestId('epochs').fill('2');
  await app.getByText('More settings').click();
  await app.getByTestId('backend-choice').selectOption({ label: 'PyTorch (Python)' });
  await app.getByLabel('Batches per epoch').fill('150');

  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('backend')).toContainText(/backend: pytorch on (cpu, \d+ threads?|cuda|mps)/, { timeout: 90_000 });
  await expect(app.getByTestId('backend')).toContainText('PyTorch');
  await expect(app.getByTestId('progress-text')).toContainText('samples/s');
  const early = await chartPoints(app);
  await expect.poll(() => chartPoints(app)).toBeGreaterThan(early);
  await expect(app.getByTestId('training-status')).toHaveText('completed', { timeout: 90_000 });
  await expect(app.getByTestId('progress-text')).toContainText(/test accuracy (8|9)\d\.\d%/);
  await expect(app.locator('.recharts-line-curve').first()).toBeVisible();
  await screenshot(app, 'trained-on-pytorch');
});
