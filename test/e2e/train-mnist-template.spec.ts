import { expect, loadTemplate, screenshot, test } from './fixtures.js';
import type { Page } from '@playwright/test';

async function chartPoints(page: Page): Promise<number> {
  return Number(await page.getByTestId('metrics-chart').getAttribute('data-points'));
}

test('load the MNIST template, train, watch the chart grow, and stop', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  await expect(app.locator('.react-flow__node')).toHaveCount(5);
  await expect(app.getByTestId('total-params')).toHaveText('101,770');

  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('metrics-chart')).toBeVisible({ timeout: 60_000 });
  await expect(app.getByTestId('backend')).toContainText(/backend: wasm, \d+ threads?/);
  await expect(app.getByTestId('progress-text')).toContainText('samples/s');
  const early = await chartPoints(app);
  await expect.poll(() => chartPoints(app)).toBeGreaterThan(early);
  await expect(app.locator('.recharts-line-curve').first()).toBeVisible();

  await app.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('stopped');
  const atStop = await chartPoints(app);
  await app.waitForTimeout(500);
  expect(await chartPoints(app)).toBe(atStop);
  await expect(app.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});

test('train one full epoch and see the test accuracy', async ({ app }) => {
  test.setTimeout(180_000);
  await loadTemplate(app, 'MLP on MNIST');
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('completed', { timeout: 150_000 });
  await expect(app.getByTestId('progress-text')).toContainText(/test accuracy 9\d\.\d%/);
  await screenshot(app, 'trained', 'screenshot-trained');
});
