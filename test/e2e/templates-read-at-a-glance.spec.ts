import type { Page } from '@playwright/test';
import { expect, loadTemplate, screenshot, test } from './fixtures.js';

/**
 * Big networks that read at a glance: at a projector's 1280×720, a template opens with every
 * layer's name readable on screen and nothing drawn over anything else, measured from the
 * boxes the browser lays out.
 */

interface Box {
  what: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every layer's, collapsed block's and shape label's box on screen (block frames hold layers, so they are left out). */
async function drawnBoxes(page: Page): Promise<Box[]> {
  const read = (selector: string, kind: string, id: string) =>
    page.locator(selector).evaluateAll(
      (elements, [kindName, attribute]) =>
        elements.map((el) => {
          const r = el.getBoundingClientRect();
          return { what: `${kindName} ${el.getAttribute(attribute!)}`, x: r.x, y: r.y, width: r.width, height: r.height };
        }),
      [kind, id],
    );
  return [...(await read('.react-flow__node:not(.react-flow__node-block)', 'node', 'data-id')), ...(await read('.edge-shape', 'label', 'data-testid'))];
}

function overlaps(boxes: readonly Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > 0.5 && h > 0.5) found.push(`${a.what} × ${b.what}`);
    }
  }
  return found;
}

/** The on-screen height of each name drawn inside the canvas's visible area: its font size times the zoom. */
async function namesOnScreen(page: Page): Promise<{ text: string; px: number }[]> {
  return page.getByTestId('canvas').evaluate((canvas) => {
    // The page's own globals: this runs in the browser.
    const { getComputedStyle, DOMMatrix } = globalThis as unknown as { getComputedStyle: (el: unknown) => { transform: string; fontSize: string }; DOMMatrix: new (t: string) => { a: number } };
    const view = canvas.getBoundingClientRect();
    const transform = getComputedStyle(canvas.querySelector('.react-flow__viewport')!).transform;
    const zoom = transform === 'none' ? 1 : new DOMMatrix(transform).a;
    const names = [...canvas.querySelectorAll('.layer-type, .layer-name, .collapsed-block-name, .block-frame-name')];
    return names
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.right > view.left && r.left < view.right && r.bottom > view.top && r.top < view.bottom;
      })
      .map((el) => ({ text: el.textContent ?? '', px: parseFloat(getComputedStyle(el).fontSize) * zoom }));
  });
}

async function expectReadable(page: Page): Promise<void> {
  // Fitting the view comes a frame after the layers are measured: read once it has settled.
  await page.waitForTimeout(300);
  const names = await namesOnScreen(page);
  expect(names.length).toBeGreaterThanOrEqual(3);
  expect(names.filter((n) => n.px < 11)).toEqual([]);
  expect(overlaps(await drawnBoxes(page))).toEqual([]);
}

test.use({ viewport: { width: 1280, height: 720 } });

test('the transformer opens with its encoder as one block, readable; opened, its layers are readable and apart too', async ({ app }) => {
  await loadTemplate(app, 'Character Transformer on Moby-Dick');
  const encoder = app.getByTestId('collapsed-encoder');
  await expect(encoder).toBeVisible();
  await expect(encoder).toContainText('7 layers');
  await expect(encoder.getByTestId('block-shapes')).toHaveText('(?, 48, 64) → (?, 48, 64)');
  await expectReadable(app);
  // With the side panels out of the way, the whole network fits at a readable size.
  await app.getByRole('button', { name: 'Hide the layers panel' }).click();
  await app.getByRole('button', { name: 'Hide the inspector panel' }).click();
  await app.getByRole('button', { name: 'Fit View' }).click();
  await expectReadable(app);
  for (const id of ['node-chars', 'node-embed', 'collapsed-encoder', 'node-next']) await expect(app.getByTestId(id)).toBeInViewport({ ratio: 0.99 });
  await screenshot(app, 'transformer-collapsed');

  await app.getByRole('button', { name: 'Expand block Encoder' }).click();
  await expect(app.getByTestId('frame-encoder')).toBeVisible();
  await expect(app.getByTestId('node-attention')).toBeAttached();
  await app.getByRole('button', { name: 'Fit View' }).click();
  await expectReadable(app);
  await screenshot(app, 'transformer-expanded');

  // One undo closes it again, where it was.
  await app.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
  await app.keyboard.press('Control+Z');
  await expect(encoder).toBeVisible();
  await expect(app.getByTestId('node-attention')).toHaveCount(0);
});

test('the DCGAN opens as its generator and discriminator, each one block with its part badge, readable', async ({ app }) => {
  await loadTemplate(app, 'DCGAN on MNIST');
  await app.getByRole('button', { name: 'Hide the inspector panel' }).click();
  await app.getByRole('button', { name: 'Fit View' }).click();
  await expect(app.getByTestId('collapsed-generator')).toContainText('8 layers');
  await expect(app.getByTestId('collapsed-discriminator')).toContainText('7 layers');
  await expect(app.getByTestId('collapsed-generator').getByTestId('block-shapes')).toHaveText('(?, 64) → (?, 28, 28, 1)');
  await expectReadable(app);
  await screenshot(app, 'dcgan');
});

test('the CNN opens readable at its input, the rest a scroll away, and nothing overlaps', async ({ app }) => {
  await loadTemplate(app, 'CNN on MNIST');
  await expectReadable(app);
  // Too long to fit at a readable size: the view starts where the data comes in.
  const input = await app.getByTestId('node-input').boundingBox();
  const canvas = await app.getByTestId('canvas').boundingBox();
  expect(input!.x).toBeGreaterThan(canvas!.x);
  expect(input!.x).toBeLessThan(canvas!.x + canvas!.width / 3);
});

const positions = (page: Page) =>
  page.locator('.react-flow__node').evaluateAll((elements) => elements.map((el) => `${el.getAttribute('data-id')} ${el.getAttribute('style')}`).sort().join('\n'));

for (const name of ['Autoencoder on MNIST', 'Character LSTM on Moby-Dick']) {
  test(`arranging ${name} leaves no layer or shape label over another, and undo puts it back`, async ({ app }) => {
    await loadTemplate(app, name);
    await expect(app.locator('.edge-shape').first()).toBeVisible();
    const before = await positions(app);
    await app.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    await app.keyboard.press('Control+Shift+L');
    await expect.poll(() => positions(app)).not.toBe(before);
    await expectReadable(app);
    expect((await drawnBoxes(app)).filter((b) => b.what.startsWith('label')).length).toBeGreaterThanOrEqual(3);
    await app.keyboard.press('Control+Z');
    await expect.poll(() => positions(app)).toBe(before);
  });
}
