import { expect, loadTemplate, screenshot, test } from './fixtures.js';
import type { Page } from '@playwright/test';

/** Every canvas of a grid as image data, to tell whether what it shows changed. */
async function pictures(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).locator('canvas').evaluateAll((canvases) => canvases.map((c) => (c as unknown as { toDataURL(): string }).toDataURL()).join('|'));
}

test('Iris: its rows and class balance, the MNIST network fixed in two clicks to fit it, then trained', async ({ app }) => {
  test.setTimeout(180_000);
  await loadTemplate(app, 'MLP on MNIST');
  await app.getByTestId('dataset').selectOption('iris');
  const panel = app.getByTestId('data-panel');
  await expect(panel).toBeVisible();
  await expect(app.getByTestId('data-name')).toHaveText('Iris flowers', { timeout: 30_000 });
  await expect(app.getByTestId('data-samples')).toHaveText('150');
  await expect(app.getByTestId('data-rows').locator('tbody tr').first()).toBeVisible();
  expect(await app.getByTestId('data-rows').locator('tbody tr').count()).toBeGreaterThan(5);
  await expect(app.getByTestId('class-balance').locator('.recharts-bar-rectangle')).toHaveCount(3);
  await expect(app.getByTestId('data-columns')).toContainText('target');
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 4)');

  // The MNIST network reads 28×28 images and tells 10 classes apart: neither fits Iris.
  const fit = app.getByTestId('data-fit');
  await expect(fit).toContainText('does not fit');
  await expect(fit.getByTestId('fit-problem').filter({ hasText: 'Input' })).toContainText('(?, 28, 28, 1)');
  await expect(app.getByTestId('view-data').locator('.tab-badge.bad')).toHaveText('2');
  await screenshot(app, 'data-table');

  await fit.getByRole('button', { name: 'Set shape to 4' }).click();
  await fit.getByRole('button', { name: 'Set units to 3' }).click();
  await expect(fit.getByTestId('fit-problem')).toHaveCount(0);
  await expect(fit).toHaveText('The network fits this data.');
  await expect(app.locator('.layer-node.has-error')).toHaveCount(0);

  // 120 training rows make two batches of 64: a short run shows the fixed network trains.
  await app.getByTestId('epochs').fill('2');
  await app.getByText('More settings').click();
  await app.getByLabel('Batches per epoch').fill('2');
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  const status = app.getByTestId('training-status');
  await expect(status).toHaveText(/completed|failed/, { timeout: 150_000 });
  // A failure names its reason here, so the test says why.
  const error = app.getByTestId('training-error');
  expect((await error.count()) > 0 ? await error.textContent() : null).toBeNull();
  await expect(status).toHaveText('completed');
  await expect(app.getByTestId('metrics-chart')).toBeVisible();
});

test('MNIST: a grid of digits with their labels, and augmentation seen before training', async ({ app }) => {
  await app.getByTestId('view-data').click();
  await expect(app.getByTestId('data-name')).toHaveText('MNIST handwritten digits', { timeout: 60_000 });
  const images = app.getByTestId('data-images');
  await expect(images.getByTestId('data-image')).toHaveCount(16);
  const labels = await images.locator('.image-label').allTextContents();
  expect(labels).toHaveLength(16);
  for (const label of labels) expect(label).toMatch(/^\d$/);
  await expect(app.getByTestId('class-balance').locator('.recharts-bar-rectangle')).toHaveCount(10);
  await expect(app.getByTestId('split-train')).toHaveText('60,000');
  await expect(app.getByTestId('split-test')).toHaveText('10,000');
  await expect(app.getByTestId('augmented-preview')).toHaveCount(0);
  await screenshot(app, 'data-images');

  // Validation held back from training moves examples out of the training count.
  await app.getByText('More settings').click();
  await app.getByTestId('validation').selectOption('split');
  await expect(app.getByTestId('split-train')).toHaveText('54,000');
  await expect(app.getByTestId('split-validation')).toContainText('6,000');
  await app.getByText('More settings').click();

  await app.getByTestId('augment-flip').check();
  const augmented = app.getByTestId('augmented-preview');
  // Side by side, the first 8 originals beside the same 8 augmented.
  await expect(augmented.getByTestId('data-image')).toHaveCount(8, { timeout: 30_000 });
  await expect(app.getByTestId('data-images').getByTestId('data-image')).toHaveCount(8);
  const original = await pictures(app, 'data-images');
  const flipped = await pictures(app, 'augmented-preview');
  expect(flipped).not.toBe(original);

  await app.getByTestId('augment-rotate').fill('40');
  await expect.poll(() => pictures(app, 'augmented-preview'), { timeout: 30_000 }).not.toBe(flipped);
  await screenshot(app, 'data-augmentation');

  // Back to nothing: the augmented grid goes.
  await app.getByTestId('augment-flip').uncheck();
  await app.getByTestId('augment-rotate').fill('0');
  await expect(augmented).toHaveCount(0, { timeout: 30_000 });
});
