import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const area = async (locator: Locator) => {
  const box = (await locator.boundingBox())!;
  return box.width * box.height;
};

async function panelAreas(page: Page) {
  return {
    canvas: await area(page.getByTestId('canvas')),
    layers: await area(page.getByTestId('panel-layers')),
    inspector: await area(page.getByTestId('panel-inspector')),
    training: await area(page.getByTestId('panel-training')),
  };
}

test.use({ viewport: { width: 1280, height: 720 } });

test('at 1280×720 the canvas is the largest part, and panels resize, fold away and are remembered', async ({ app }) => {
  const window = 1280 * 720;
  const first = await panelAreas(app);
  for (const other of [first.layers, first.inspector, first.training]) expect(first.canvas).toBeGreaterThan(other);
  expect(first.canvas / window).toBeGreaterThan(0.35);

  // Folding the training panel away gives its room to the canvas; a strip brings it back.
  await app.getByRole('button', { name: 'Hide the training panel' }).click();
  await expect(app.getByTestId('panel-training')).toHaveCount(0);
  const folded = await area(app.getByTestId('canvas'));
  expect(folded / window).toBeGreaterThan(0.55);

  // The layers panel is dragged narrower by its edge.
  const splitter = app.getByTestId('splitter-layers');
  const edge = (await splitter.boundingBox())!;
  const before = (await app.getByTestId('panel-layers').boundingBox())!.width;
  await app.mouse.move(edge.x + edge.width / 2, edge.y + 200);
  await app.mouse.down();
  await app.mouse.move(edge.x + edge.width / 2 - 30, edge.y + 200, { steps: 5 });
  await app.mouse.up();
  const narrower = (await app.getByTestId('panel-layers').boundingBox())!.width;
  expect(narrower).toBeLessThan(before - 20);
  // And the keyboard resizes it too, from the focused edge.
  await splitter.focus();
  await app.keyboard.press('ArrowRight');
  await expect.poll(async () => (await app.getByTestId('panel-layers').boundingBox())!.width).toBeGreaterThan(narrower + 10);
  const kept = (await app.getByTestId('panel-layers').boundingBox())!.width;

  // After a reload the window is as it was left.
  await app.reload();
  await expect(app.getByTestId('panel-training')).toHaveCount(0);
  await expect(app.getByTestId('strip-training')).toBeVisible();
  expect((await app.getByTestId('panel-layers').boundingBox())!.width).toBeCloseTo(kept, 0);

  // Ctrl+J brings the training panel back, as the View menu's command does.
  await app.getByTestId('canvas').focus();
  await app.keyboard.press('Control+J');
  await expect(app.getByTestId('panel-training')).toBeVisible();
});
