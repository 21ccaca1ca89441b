import { copyFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { expect, loadTemplate, test } from './fixtures.js';

interface GridStats {
  /** Share of image pixels that are near black: the background real digits have. */
  dark: number;
  /** Share that are clearly lit: strokes. */
  lit: number;
}

/** Reads the sample grid's canvas, leaving out the gaps between images. */
function gridStats(grid: Locator): Promise<GridStats> {
  return grid.evaluate((element) => {
    // The Node-side typecheck has no DOM library: name only what is used of the canvas.
    const canvas = element as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let dark = 0;
    let lit = 0;
    let pixels = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
      if (r === 203 && g === 213 && b === 225) continue;
      pixels++;
      if (r < 40) dark++;
      else if (r > 90) lit++;
    }
    return { dark: dark / pixels, lit: lit / pixels };
  });
}

test('a DCGAN on MNIST turns its samples from noise into digit-like strokes within five epochs', async ({ app }) => {
  test.setTimeout(20 * 60_000);
  await loadTemplate(app, 'DCGAN on MNIST');
  await expect(app.getByTestId('epochs')).toHaveValue('5');
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('completed', { timeout: 18 * 60_000 });

  const panel = app.getByTestId('samples-panel');
  const grid = panel.getByTestId('sample-grid');
  const stats: Record<number, GridStats> = {};
  for (let epoch = 5; epoch >= 0; epoch--) {
    await expect(app.getByTestId('samples-epoch')).toContainText(`Epoch ${epoch}`);
    stats[epoch] = await gridStats(grid);
    const shot = test.info().outputPath(`dcgan-epoch-${epoch}.png`);
    await grid.screenshot({ path: shot });
    if (process.env.NETCANVAS_SCREENSHOTS) copyFileSync(shot, `docs/dcgan-epoch-${epoch}.png`);
    if (epoch > 0) await app.getByRole('button', { name: 'Earlier samples' }).click();
  }
  test.info().annotations.push({ type: 'grid statistics by epoch', description: JSON.stringify(stats) });
  // Before training the generator draws even grey noise: hardly any black and no strokes.
  expect(stats[0]!.dark).toBeLessThan(0.1);
  // After five epochs its images are what MNIST digits are: mostly black, with lit strokes.
  expect(stats[5]!.dark).toBeGreaterThan(0.5);
  expect(stats[5]!.lit).toBeGreaterThan(0.05);
});
