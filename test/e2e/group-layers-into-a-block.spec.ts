import { expect, loadTemplate, screenshot, test, trainBriefly } from './fixtures.js';

test('layers grouped into a block collapse to one node, repeat ×3 as copies with their own weights, train, and undo takes it all back', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  const total = app.getByTestId('total-params');
  await expect(total).toHaveText('101,770');

  await app.getByTestId('node-hidden').click();
  await app.keyboard.press('Control+G');
  const frame = app.getByTestId('frame-block_1');
  await expect(frame).toBeVisible();
  await expect(frame).toContainText('Block 1');
  const settings = app.getByTestId('block-settings');
  await expect(settings).toContainText('1 layer, 100,480 params');

  // Collapsed, the block is one node standing for its layer, with the shapes in and out.
  await frame.getByRole('button', { name: 'Collapse block Block 1' }).click();
  const collapsed = app.getByTestId('collapsed-block_1');
  await expect(collapsed).toBeVisible();
  await expect(app.getByTestId('node-hidden')).toHaveCount(0);
  await expect(frame).toHaveCount(0);
  await expect(collapsed).toContainText('1 layer');
  await expect(collapsed.getByTestId('block-shapes')).toHaveText(/→ \(\?, 128\)$/);
  await expect(collapsed.getByTestId('param-count')).toHaveText('100,480 params');
  await expect(total).toHaveText('101,770');

  // Two more copies of Dense(128) after the first: 128·128 + 128 weights each.
  await collapsed.click();
  await settings.getByLabel('Repeat the block').fill('3');
  await expect(total).toHaveText(String((101_770 + 2 * 16_512).toLocaleString('en-US')));
  await expect(collapsed).toContainText('×3');
  await expect(collapsed).toContainText('3 layers in 3 copies');
  await expect(collapsed.getByTestId('param-count')).toHaveText(`${(100_480 + 2 * 16_512).toLocaleString('en-US')} params`);
  await screenshot(app, 'block-repeated');

  await trainBriefly(app, { epochs: 1, batchesPerEpoch: 3 });

  await app.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await app.keyboard.press('Control+Z');
  await expect(total).toHaveText('101,770');
  await expect(collapsed).toBeVisible();
  await app.keyboard.press('Control+Z');
  await expect(collapsed).toHaveCount(0);
  await expect(frame).toBeVisible();
  await expect(app.getByTestId('node-hidden')).toBeVisible();
  await app.keyboard.press('Control+Z');
  await expect(frame).toHaveCount(0);
  await expect(total).toHaveText('101,770');
});
