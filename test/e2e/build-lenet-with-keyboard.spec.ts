import type { Page } from '@playwright/test';
import { layer } from './canvas.js';
import { expect, test } from './fixtures.js';

/** Ctrl+K, the layer's name, Enter: it goes after the selected layer, connected to it. */
async function add(page: Page, type: string): Promise<void> {
  await page.keyboard.press('Control+K');
  await expect(page.getByTestId('quick-pick')).toBeVisible();
  await page.keyboard.type(type);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('quick-pick')).toHaveCount(0);
  await expect(page.getByTestId('inspector').locator('h2')).toContainText(type);
}

/** Enter moves to the selected layer's first setting; Tab to the next ones; Escape back to the canvas. */
async function settings(page: Page, values: readonly (string | null)[]): Promise<void> {
  await page.keyboard.press('Enter');
  for (const [i, value] of values.entries()) {
    if (i > 0) await page.keyboard.press('Tab');
    if (value === null) continue;
    const isSelect = await page.locator(':focus').evaluate((el) => el.tagName === 'SELECT');
    if (!isSelect) await page.keyboard.press('Control+A');
    await page.keyboard.type(value);
  }
  await page.keyboard.press('Escape');
}

const inspectorTitle = (page: Page) => page.getByTestId('inspector').locator('h2');

test('build LeNet from an empty canvas with the keyboard alone, and train it a few batches', async ({ app }) => {
  test.setTimeout(180_000);
  await expect(app.locator('.react-flow__node')).toHaveCount(0);

  await add(app, 'Input');
  await add(app, 'Conv2D');
  // Filters 6, kernel "5,5" typed key by key (the comma stays), strides as they are, padding as it is, relu.
  await settings(app, ['6', '5,5', null, null, 'relu']);
  await add(app, 'MaxPooling2D');
  await add(app, 'Conv2D');
  await settings(app, ['16', '5,5', null, null, 'relu']);
  await add(app, 'MaxPooling2D');
  await add(app, 'Flatten');
  await add(app, 'Dense');
  await settings(app, ['120', 'relu']);
  await add(app, 'Dense');
  await settings(app, ['10', 'softmax']);

  await expect(app.locator('.react-flow__node')).toHaveCount(8);
  await expect(app.locator('.react-flow__edge')).toHaveCount(7);
  await expect(layer(app, 'Conv2D').first().getByTestId('output-shape')).toHaveText('(?, 24, 24, 6)');
  await expect(layer(app, 'Conv2D').nth(1).getByTestId('output-shape')).toHaveText('(?, 8, 8, 16)');
  await expect(layer(app, 'Flatten').getByTestId('output-shape')).toHaveText('(?, 256)');
  await expect(layer(app, 'Dense').nth(1).getByTestId('output-shape')).toHaveText('(?, 10)');
  await expect(app.getByTestId('total-params')).toHaveText('34,622');
  await expect(app.locator('.layer-error')).toHaveCount(0);

  // Arrows move the selection along the data flow.
  await app.keyboard.press('ArrowLeft');
  await expect(inspectorTitle(app)).toContainText('dense_1');
  await app.keyboard.press('ArrowLeft');
  await expect(inspectorTitle(app)).toContainText('flatten_1');
  await app.keyboard.press('ArrowRight');
  await expect(inspectorTitle(app)).toContainText('dense_1');

  // Disconnect and connect again without a mouse: Shift+D, then Shift+C and the layer's name.
  await app.keyboard.press('ArrowLeft');
  await app.keyboard.press('Shift+D');
  await expect(app.getByTestId('quick-pick')).toContainText('to Dense dense_1');
  await app.keyboard.type('to dense');
  await app.keyboard.press('Enter');
  await expect(app.locator('.react-flow__edge')).toHaveCount(6);
  await expect(layer(app, 'Dense').first().getByRole('alert')).toContainText('has no input');
  await app.keyboard.press('Shift+C');
  await app.keyboard.type('dense_1');
  await app.keyboard.press('Enter');
  await expect(app.locator('.react-flow__edge')).toHaveCount(7);
  await expect(app.locator('.layer-error')).toHaveCount(0);

  // Undo and redo are the keyboard's too.
  await app.keyboard.press('Control+Z');
  await expect(app.locator('.react-flow__edge')).toHaveCount(6);
  await app.keyboard.press('Control+Shift+Z');
  await expect(app.locator('.react-flow__edge')).toHaveCount(7);

  // Escape lets go of the selection; then a few batches of training, started with Ctrl+Enter.
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('inspector')).toHaveCount(0);
  await app.getByTestId('epochs').fill('1');
  await app.getByText('More settings').focus();
  await app.keyboard.press('Enter');
  await app.getByLabel('Batches per epoch').fill('3');
  await app.getByLabel('Batches per epoch').press('Control+Enter');
  await expect(app.getByTestId('training-status')).toHaveText('completed', { timeout: 150_000 });
  await expect(app.getByTestId('progress-text')).toContainText('batch 3/3');
});
