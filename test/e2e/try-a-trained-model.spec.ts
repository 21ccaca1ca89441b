import { expect, loadTemplate, screenshot, test, trainBriefly } from './fixtures.js';
import type { Page } from '@playwright/test';

/** Draws a 7 on the pad with the mouse: a bar across the top, then a stroke down to the lower left. */
async function drawSeven(page: Page): Promise<void> {
  const pad = page.getByTestId('drawing-pad');
  const box = (await pad.boundingBox())!;
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(0.25, 0.22));
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(...at(0.25 + 0.5 * (i / 10), 0.22));
  for (let i = 1; i <= 14; i++) await page.mouse.move(...at(0.75 - 0.3 * (i / 14), 0.22 + 0.58 * (i / 14)));
  await page.mouse.up();
}

test('train a CNN on MNIST, draw a 7 and see it read as 7, evaluate it and look inside it', async ({ app }) => {
  test.setTimeout(300_000);
  await loadTemplate(app, 'CNN on MNIST');

  await trainBriefly(app, { epochs: 1, batchesPerEpoch: 450, timeout: 200_000 });
  await expect(app.getByTestId('progress-text')).toContainText(/test accuracy (9[7-9]|100)\.\d%/);

  await app.getByTestId('view-try').click();
  await expect(app.getByTestId('drawing-pad')).toBeVisible({ timeout: 60_000 });
  await drawSeven(app);
  await expect(app.getByTestId('input-label')).toHaveText('Your drawing', { timeout: 60_000 });
  const first = app.getByTestId('top-class').first();
  await expect(first).toHaveAttribute('data-class', '7', { timeout: 60_000 });
  expect(Number(await first.getAttribute('data-probability'))).toBeGreaterThan(0.5);
  await expect(app.getByTestId('seen-image').locator('canvas')).toBeVisible();

  // Clearing the pad lets go of the answer; a test example shows its true class beside the network's.
  await app.getByTestId('clear-drawing').click();
  await expect(app.getByTestId('top-classes')).toHaveCount(0);
  await app.getByTestId('example-index').fill('0');
  await expect(app.getByTestId('input-label')).toHaveText('Test example 0');
  await expect(app.getByTestId('example-truth')).toContainText('True answer: 7');
  await expect(app.getByTestId('top-class').first()).toHaveAttribute('data-class', '7');
  await drawSeven(app);
  await expect(app.getByTestId('input-label')).toHaveText('Your drawing');
  await expect(app.getByTestId('top-class').first()).toHaveAttribute('data-class', '7');
  await screenshot(app, 'try-tab');

  await app.getByTestId('view-evaluate').click();
  await app.getByTestId('evaluate-button').click();
  const matrix = app.getByTestId('confusion-matrix');
  await expect(matrix).toBeVisible({ timeout: 120_000 });
  await expect(matrix.getByTestId('confusion-cell')).toHaveCount(100);
  const cells = matrix.getByTestId('confusion-cell');
  const counts = await cells.evaluateAll((all) => all.map((cell) => ({ truth: cell.dataset.true, predicted: cell.dataset.predicted, count: Number(cell.dataset.count) })));
  // Each true class's row adds up to its examples: 10,000 of MNIST's test split in all.
  expect(counts.reduce((sum, cell) => sum + cell.count, 0)).toBe(10_000);
  const mistake = counts.findIndex((cell) => cell.truth !== cell.predicted && cell.count > 0);
  expect(mistake, 'a cell off the diagonal with examples').toBeGreaterThanOrEqual(0);
  await cells.nth(mistake).click();
  await expect(app.getByTestId('cell-examples').getByTestId('example-view').first()).toBeVisible({ timeout: 60_000 });
  await screenshot(app, 'confusion-matrix');

  await app.getByTestId('view-explain').click();
  await app.getByTestId('explain-method').selectOption('gradcam');
  await app.getByTestId('explain-button').click();
  await expect(app.getByTestId('heat-overlay')).toBeVisible({ timeout: 60_000 });
  await expect(app.getByTestId('heat-overlay')).toHaveAttribute('data-method', 'gradcam');

  await app.getByTestId('explain-method').selectOption('activations');
  const layer = app.getByTestId('explain-layer');
  const convolution = await layer.locator('option').evaluateAll((options) => options.find((o) => /conv/i.test(o.textContent ?? ''))?.getAttribute('value') ?? null);
  expect(convolution, 'a convolution layer among the layers to look at').not.toBeNull();
  await layer.selectOption(convolution!);
  await app.getByTestId('explain-button').click();
  const maps = app.getByTestId('feature-maps');
  await expect(maps).toBeVisible({ timeout: 60_000 });
  expect(Number(await maps.getAttribute('data-count'))).toBeGreaterThan(1);
});
