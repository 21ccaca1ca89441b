import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

function layer(page: Page, type: string): Locator {
  return page.locator('.react-flow__node').filter({ has: page.locator('.layer-type').getByText(type, { exact: true }) });
}

async function drop(page: Page, type: string, x: number, y: number): Promise<void> {
  const canvas = page.getByTestId('canvas');
  await page.getByTestId(`palette-${type}`).dragTo(canvas, { targetPosition: { x, y } });
}

async function connect(page: Page, from: Locator, to: Locator): Promise<void> {
  const source = await from.locator('.react-flow__handle.source').boundingBox();
  const target = await to.locator('.react-flow__handle.target').boundingBox();
  await page.mouse.move(source!.x + source!.width / 2, source!.y + source!.height / 2);
  await page.mouse.down();
  await page.mouse.move(target!.x + target!.width / 2, target!.y + target!.height / 2, { steps: 10 });
  await page.mouse.up();
}

test('drag layers from the palette, connect them, and fix a shape error with one click', async ({ app }) => {
  await drop(app, 'Input', 120, 120);
  await drop(app, 'Dense', 480, 160);
  const input = layer(app, 'Input');
  const dense = layer(app, 'Dense');
  await expect(input).toHaveCount(1);
  await expect(dense).toHaveCount(1);
  await expect(input.getByTestId('output-shape')).toHaveText('(?, 28, 28, 1)');
  await expect(dense.getByRole('alert')).toHaveText(/has no input: connect a layer into it/);

  await connect(app, input, dense);
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
