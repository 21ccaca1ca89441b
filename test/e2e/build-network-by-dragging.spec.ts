import { LAYER_SPECS } from '../../shared/layers/registry.js';
import { connect, drop, layer } from './canvas.js';
import { expect, test } from './fixtures.js';

test('drag layers from the palette, connect them, and fix a shape error with one click', async ({ app }) => {
  await drop(app, 'Input', 120, 120);
  await drop(app, 'Dense', 480, 160);
  const input = layer(app, 'Input');
  const dense = layer(app, 'Dense');
  await expect(input).toHaveCount(1);
  await expect(dense).toHaveCount(1);
  await expect(input.getByTestId('output-shape')).toHaveText('(?, 28, 28, 1)');
  await expect(dense.getByRole('alert')).toHaveText(/has no input: connect a layer into it/);

  const firstFrame = await connect(app, input, dense, { watch: dense });
  expect(firstFrame).toContain('Dense needs a flat input (batch, features) but gets (?, 28, 28, 1): insert Flatten.');
  await expect(app.locator('.react-flow__edge')).toHaveCount(1);
  await expect(dense.getByRole('alert')).toContainText('Dense needs a flat input (batch, features) but gets (?, 28, 28, 1): insert Flatten.');

  await dense.getByRole('button', { name: 'Insert Flatten' }).click();
  await expect(dense.getByRole('alert')).toHaveCount(0);
  await expect(layer(app, 'Flatten').getByTestId('output-shape')).toHaveText('(?, 784)');
  await expect(dense.getByTestId('output-shape')).toHaveText('(?, 64)');
  await expect(app.getByTestId('total-params')).toHaveText('50,240');

  // The inspector edits the selected layer, and shapes follow.
  await dense.click();
  await app.getByLabel('Units').fill('10');
  await expect(dense.getByTestId('output-shape')).toHaveText('(?, 10)');
  await expect(app.getByTestId('total-params')).toHaveText('7,850');
});

test('the palette offers every layer with its plain-words explanation, and search narrows it', async ({ app }) => {
  for (const spec of LAYER_SPECS) {
    await expect(app.getByTestId(`palette-${spec.type}`)).toContainText(spec.summary);
  }
  await app.getByLabel('Search layers').fill('lstm');
  await expect(app.getByTestId('palette-LSTM')).toBeVisible();
  await expect(app.getByTestId('palette-Conv2D')).toHaveCount(0);
  await app.getByLabel('Search layers').fill('');
  await expect(app.getByTestId('palette-Conv2D')).toBeVisible();
});
