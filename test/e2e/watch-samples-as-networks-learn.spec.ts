import { copyFileSync } from 'node:fs';
import { expect, loadTemplate, test, trainBriefly } from './fixtures.js';

test('a GAN shows which layers generate and which judge, its two losses, and its images epoch by epoch', async ({ app }) => {
  test.setTimeout(200_000);
  await loadTemplate(app, 'DCGAN on MNIST');
  // The template draws each network as one block, wearing its part's badge; opened, each layer wears it.
  await expect(app.getByTestId('collapsed-generator')).toHaveAttribute('data-gan-block-role', 'generator');
  await expect(app.getByTestId('collapsed-discriminator')).toHaveAttribute('data-gan-block-role', 'discriminator');
  await expect(app.getByTestId('collapsed-discriminator').locator('.gan-badge')).toHaveText('D');
  await app.getByRole('button', { name: 'Expand block Generator' }).click();
  await app.getByRole('button', { name: 'Expand block Discriminator' }).click();
  await expect(app.locator('[data-gan-role="generator"]')).toHaveCount(9);
  await expect(app.locator('[data-gan-role="discriminator"]')).toHaveCount(8);
  await expect(app.locator('[data-gan-role="generator"] .gan-badge').first()).toHaveText('G');
  await expect(app.getByTestId('gan-generatorInput')).toHaveValue('noise');

  // Swapping the roles makes the canvas impossible to split: the panel says why and Train waits.
  await app.getByTestId('gan-generatorInput').selectOption('image');
  await expect(app.getByTestId('gan-discriminatorInput')).toHaveValue('noise');
  await expect(app.getByTestId('gan-problems')).toBeVisible();
  await expect(app.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await expect(app.locator('[data-gan-role]')).toHaveCount(0);
  await app.getByTestId('gan-generatorInput').selectOption('noise');
  await expect(app.getByTestId('gan-problems')).toHaveCount(0);

  await trainBriefly(app, { epochs: 2, batchesPerEpoch: 4 });
  await expect(app.getByTestId('chart-legend')).toContainText('discriminator loss');
  await expect(app.getByTestId('chart-legend')).toContainText('generator loss');
  const panel = app.getByTestId('samples-panel');
  await expect(panel).toBeVisible();
  await expect(app.getByTestId('samples-epoch')).toContainText('Epoch 2');
  const grid = panel.getByTestId('sample-grid');
  // 16 of the digits, 4 across, each pixel drawn as a square of at least 2×2.
  expect(await grid.evaluate((c) => (c as unknown as { width: number }).width)).toBeGreaterThanOrEqual(4 * 56);
  await app.getByRole('button', { name: 'Earlier samples' }).click();
  await expect(app.getByTestId('samples-epoch')).toContainText('Epoch 1');

  await grid.click();
  const dialog = app.getByRole('dialog');
  await expect(dialog.getByTestId('sample-grid')).toBeVisible();
  const shot = test.info().outputPath('gan-samples.png');
  await app.screenshot({ path: shot });
  if (process.env.NETCANVAS_SHOT_DIR) copyFileSync(shot, `${process.env.NETCANVAS_SHOT_DIR}/gan-samples.png`);
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('an autoencoder shows its reconstructions under the originals', async ({ app }) => {
  test.setTimeout(200_000);
  await loadTemplate(app, 'Autoencoder on MNIST');
  await trainBriefly(app, { epochs: 2, batchesPerEpoch: 4 });
  const panel = app.getByTestId('samples-panel');
  await expect(panel.getByText('Originals')).toBeVisible();
  await expect(panel.getByTestId('sample-grid')).toHaveCount(2);
});
