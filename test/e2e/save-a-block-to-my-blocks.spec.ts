import { expect, loadTemplate, test } from './fixtures.js';

test('a block saved to My blocks goes into another project as a block, and is there in another window', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  await app.getByTestId('node-hidden').click();
  await app.keyboard.press('Control+G');
  const settings = app.getByTestId('block-settings');
  await settings.getByLabel('Block name').fill('Wide layer');
  await settings.getByLabel('Block name').press('Tab');
  await expect(app.getByTestId('frame-block_1')).toContainText('Wide layer');
  await settings.getByRole('button', { name: 'Save to My blocks' }).click();
  await expect(app.getByTestId('notice')).toContainText('Saved "Wide layer" to My blocks');
  const saved = app.getByTestId('my-block-Wide layer');
  await expect(saved).toContainText('Block of 1 layer');

  // Back to the template as it was, then another project takes the block.
  await app.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await app.keyboard.press('Control+Z');
  await app.keyboard.press('Control+Z');
  await expect(app.getByTestId('frame-block_1')).toHaveCount(0);
  await loadTemplate(app, 'CNN on MNIST');
  const layers = app.locator('.react-flow__node-layer');
  await expect(layers).toHaveCount(8);
  await saved.click();
  const frame = app.getByTestId('frame-block_1');
  await expect(frame).toContainText('Wide layer');
  await expect(layers).toHaveCount(9);
  await expect(app.locator('.layer-node', { hasText: 'Dense' }).filter({ hasText: '128 · relu' })).toHaveCount(1);

  // My blocks belong to this browser, not to one project or window.
  const other = await app.context().newPage();
  await other.goto(app.url());
  await other.getByRole('dialog', { name: 'Start' }).press('Escape');
  await expect(other.getByTestId('my-block-Wide layer')).toBeVisible();
  await other.getByRole('button', { name: 'Remove Wide layer from My blocks' }).click();
  await expect(other.getByTestId('my-blocks')).toHaveCount(0);
  await other.close();
});
