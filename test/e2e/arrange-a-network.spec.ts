import type { Page } from '@playwright/test';
import { expect, loadTemplate, screenshot, test } from './fixtures.js';

interface Box {
  what: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every layer's and every shape label's box on screen, as drawn now. */
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
  return [...(await read('.react-flow__node', 'layer', 'data-id')), ...(await read('.edge-shape', 'label', 'data-testid'))];
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

const positions = (page: Page) =>
  page.locator('.react-flow__node').evaluateAll((elements) => elements.map((el) => `${el.getAttribute('data-id')} ${el.getAttribute('style')}`).sort().join('\n'));

for (const name of ['Character Transformer on Moby-Dick', 'DCGAN on MNIST', 'CNN on MNIST']) {
  test(`arranging ${name} leaves no layer or shape label over another, and undo puts it back`, async ({ app }) => {
    await loadTemplate(app, name);
    await expect(app.locator('.edge-shape').first()).toBeVisible();
    const before = await positions(app);
    await app.getByTestId('canvas').click({ position: { x: 5, y: 5 } });
    await app.keyboard.press('Control+Shift+L');
    await expect.poll(() => positions(app)).not.toBe(before);
    // The fit after arranging comes a frame later; boxes are read once the view is still.
    await app.waitForTimeout(300);
    const boxes = await drawnBoxes(app);
    expect(boxes.filter((b) => b.what.startsWith('label')).length).toBeGreaterThan(3);
    expect(overlaps(boxes)).toEqual([]);
    if (name.startsWith('Character Transformer')) await screenshot(app, 'arranged-transformer');
    await app.keyboard.press('Control+Z');
    await expect.poll(() => positions(app)).toBe(before);
  });
}
