import { copyFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, loadTemplate, test } from './fixtures.js';

/** One short run: a few batches of one epoch at the given learning rate, trained to the end. */
async function shortRun(app: Page, learningRate: string): Promise<void> {
  await app.getByTestId('learning-rate').fill(learningRate);
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('completed', { timeout: 90_000 });
}

test('two short runs with different learning rates are listed and overlaid in one chart, each in its colour', async ({ app }) => {
  test.setTimeout(200_000);
  await loadTemplate(app, 'MLP on MNIST');
  await app.getByTestId('epochs').fill('1');
  await app.getByText('More settings').click();
  await app.getByLabel('Batches per epoch').fill('0');
  // A bad value is refused in words and never sent.
  await expect(app.getByText('Batches per epoch must be at least 1.', { exact: true })).toBeVisible();
  await expect(app.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await app.getByLabel('Batches per epoch').fill('15');

  await shortRun(app, '0.01');
  await expect(app.getByTestId('progress-text')).toContainText('batch 15/15');
  await shortRun(app, '0.001');

  // The newest runs head the list, each named by the setting that differs.
  const rows = app.getByTestId('run-row');
  await expect(rows.nth(0)).toContainText('lr 0.001');
  await expect(rows.nth(1)).toContainText('lr 0.01');
  await rows.nth(0).getByRole('checkbox').check();
  await rows.nth(1).getByRole('checkbox').check();

  const chart = app.getByTestId('metrics-chart');
  await expect(chart).toHaveAttribute('data-mode', 'compare');
  await expect(chart).toHaveAttribute('data-runs', '2');
  await expect(app.getByTestId('chart-legend')).toHaveText(/lr 0\.01.*lr 0\.001|lr 0\.001.*lr 0\.01/);
  await expect(app.locator('.chart-caption')).toContainText('vs');
  const colours = await chart.locator('.series-line path.recharts-line-curve').evaluateAll((paths) => [...new Set(paths.map((p) => p.getAttribute('stroke')))]);
  expect(colours).toHaveLength(2);

  const shot = test.info().outputPath('compare-runs.png');
  await app.screenshot({ path: shot });
  if (process.env.NETCANVAS_SHOT_DIR) copyFileSync(shot, `${process.env.NETCANVAS_SHOT_DIR}/compare-runs.png`);

  // One run ticked shows that run's curves; none ticked, the current run's own.
  await rows.nth(1).getByRole('checkbox').uncheck();
  await expect(chart).toHaveAttribute('data-runs', '1');
  await expect(app.getByTestId('chart-legend')).toContainText(/run \d+/);
  await expect(chart.locator('.series-line path.recharts-line-curve').first()).toBeVisible();
  await rows.nth(0).getByRole('checkbox').uncheck();
  await expect(chart).toHaveAttribute('data-mode', 'run');

  // Another project shows none of these runs, and its chart and status start empty.
  await loadTemplate(app, 'MLP on Iris');
  await expect(app.getByTestId('run-row')).toHaveCount(0);
  await expect(app.getByTestId('training-status')).toHaveText('idle');
  await expect(app.getByText('Press Train to watch the loss fall here.')).toBeVisible();
  // Back to the first template, its runs are there again.
  await loadTemplate(app, 'MLP on MNIST');
  await expect(app.getByTestId('run-row')).toHaveCount(2);
});
