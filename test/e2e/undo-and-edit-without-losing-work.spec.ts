import type { Page } from '@playwright/test';
import { connect, drop, layer } from './canvas.js';
import { expect, loadTemplate, test } from './fixtures.js';

const nodes = (page: Page) => page.locator('.react-flow__node');
const edges = (page: Page) => page.locator('.react-flow__edge');

test('a stray Delete is taken back with Ctrl+Z, connections and all, even after typing in the search box', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  // Typing in the palette's search box leaves its own undo alone and the canvas's to the canvas.
  await app.getByLabel('Search layers').fill('lstm');
  await app.getByLabel('Search layers').fill('');
  const dense = layer(app, 'Dense').first();
  await dense.click();
  await app.keyboard.press('Delete');
  await expect(nodes(app)).toHaveCount(4);
  await expect(edges(app)).toHaveCount(2);
  await app.keyboard.press('Control+Z');
  await expect(nodes(app)).toHaveCount(5);
  await expect(edges(app)).toHaveCount(4);
  await expect(app.getByLabel('Search layers')).toHaveValue('');
  await app.keyboard.press('Control+Shift+Z');
  await expect(nodes(app)).toHaveCount(4);
  await app.keyboard.press('Control+Y');
  await expect(nodes(app)).toHaveCount(4);
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect(nodes(app)).toHaveCount(5);

  // A whole drag is one step.
  const box = (await dense.boundingBox())!;
  await app.mouse.move(box.x + 30, box.y + 12);
  await app.mouse.down();
  for (let i = 1; i <= 10; i++) await app.mouse.move(box.x + 30 + i * 12, box.y + 12 + i * 8);
  await app.mouse.up();
  await expect.poll(async () => (await dense.boundingBox())!.x).toBeGreaterThan(box.x + 60);
  await app.keyboard.press('Control+Z');
  await expect.poll(async () => Math.round((await dense.boundingBox())!.x)).toBe(Math.round(box.x));

  // Typing a number is one step, not one per key.
  await dense.click();
  await app.getByLabel('Units').fill('');
  await app.getByLabel('Units').pressSequentially('256');
  await expect(dense.getByTestId('output-shape')).toHaveText('(?, 256)');
  await app.getByLabel('Units').press('Control+Z');
  await expect(dense.getByTestId('output-shape')).toHaveText('(?, 128)');
  await expect(app.getByLabel('Units')).toHaveValue('128');
});

test('typing 5,5 into Kernel size keeps the comma', async ({ app }) => {
  await drop(app, 'Input', 120, 120);
  await drop(app, 'Conv2D', 480, 120);
  await connect(app, layer(app, 'Input'), layer(app, 'Conv2D'));
  await layer(app, 'Conv2D').click();
  const kernel = app.getByLabel('Kernel size');
  await kernel.fill('');
  await kernel.pressSequentially('5,5');
  await expect(kernel).toHaveValue('5,5');
  await expect(layer(app, 'Conv2D').getByTestId('output-shape')).toHaveText('(?, 24, 24, 32)');
});

test('a palette entry clicked goes after the selected layer, connected, or into free space', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  const count = await nodes(app).count();
  // Nothing selected: it lands in the view without covering another layer.
  await app.getByTestId('palette-Dense').click();
  await expect(nodes(app)).toHaveCount(count + 1);
  const boxes = await nodes(app).evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      expect(a[0]! < b[2]! && b[0]! < a[2]! && a[1]! < b[3]! && b[1]! < a[3]!, `layers ${i} and ${j} overlap`).toBe(false);
    }
  }
  await app.keyboard.press('Control+Z');

  // The last layer selected: the new one follows it, fed by it, to its right.
  const last = layer(app, 'Dense').nth(1);
  await last.click();
  await app.getByTestId('palette-Dropout').click();
  await expect(edges(app)).toHaveCount(5);
  const dropout = layer(app, 'Dropout').nth(1);
  await expect(dropout.getByTestId('output-shape')).toHaveText('(?, 10)');
  expect((await dropout.boundingBox())!.x).toBeGreaterThan((await last.boundingBox())!.x);
});

test('Insert Flatten puts the layer between the two it joins, and the repair button is never cut off', async ({ app }) => {
  const canvas = (await app.getByTestId('canvas').boundingBox())!;
  // Dropped near the bottom edge, where the problem and its button grow the layer out of sight.
  await drop(app, 'Input', 80, canvas.height - 110);
  await drop(app, 'Dense', 420, canvas.height - 60);
  const [input, dense] = [layer(app, 'Input'), layer(app, 'Dense')];
  await connect(app, input, dense);
  const fix = dense.getByRole('button', { name: 'Insert Flatten' });
  await expect(fix).toBeVisible();
  await expect.poll(async () => {
    const button = (await fix.boundingBox())!;
    const view = (await app.getByTestId('canvas').boundingBox())!;
    return button.y + button.height <= view.y + view.height && button.x + button.width <= view.x + view.width;
  }).toBe(true);

  await fix.click();
  const flatten = layer(app, 'Flatten');
  await expect(flatten.getByTestId('output-shape')).toHaveText('(?, 784)');
  const [i, f, d] = [(await input.boundingBox())!, (await flatten.boundingBox())!, (await dense.boundingBox())!];
  expect(i.x + i.width).toBeLessThan(f.x);
  expect(f.x + f.width).toBeLessThan(d.x);
});
