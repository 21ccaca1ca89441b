import type { Locator, Page } from '@playwright/test';
import { expect, loadTemplate, screenshot, test } from './fixtures.js';

/** WCAG's relative luminance of a computed `rgb(…)` colour: 0 is black, 1 white. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** A computed style of the element, read in the page. */
const style = (locator: Locator, property: 'backgroundColor' | 'color' | 'fontSize') =>
  locator.evaluate((el, p) => (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el)[p]!, property);

/** How light the page's background and its text are, as the browser paints them. */
async function colours(page: Page) {
  const read = style;
  return {
    background: luminance(await read(page.locator('html'), 'backgroundColor')),
    text: luminance(await read(page.locator('.app'), 'color')),
    panel: luminance(await read(page.locator('.palette'), 'backgroundColor')),
    toolbar: luminance(await read(page.locator('.toolbar'), 'backgroundColor')),
    canvas: luminance(await read(page.locator('.react-flow'), 'backgroundColor')),
  };
}

const isLight = (c: Awaited<ReturnType<typeof colours>>) => c.background > 0.8 && c.panel > 0.8 && c.toolbar > 0.7 && c.canvas > 0.8 && c.text < 0.05;
const isDark = (c: Awaited<ReturnType<typeof colours>>) => c.background < 0.05 && c.panel < 0.05 && c.toolbar < 0.05 && c.canvas < 0.05 && c.text > 0.6;

/** The Theme setting: the toolbar's ◐ button, then a choice in its list. */
async function chooseTheme(page: Page, label: 'As the system' | 'Light' | 'Dark') {
  await page.getByRole('button', { name: 'Theme…' }).click();
  await page.getByRole('option', { name: label }).click();
  await expect(page.getByRole('listbox')).toHaveCount(0);
}

const fontSize = async (locator: Locator) => parseFloat(await style(locator, 'fontSize'));

test('the app is light or dark as the system prefers, and the Theme setting overrides it', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  await app.emulateMedia({ colorScheme: 'light' });
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(isLight(await colours(app))).toBe(true);

  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(isDark(await colours(app))).toBe(true);
  await app.screenshot({ path: test.info().outputPath('dark-theme.png') });

  // Forcing Dark beats a light system, and is remembered after a reload.
  await app.emulateMedia({ colorScheme: 'light' });
  await chooseTheme(app, 'Dark');
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(isDark(await colours(app))).toBe(true);
  await app.reload();
  await expect(app.getByText('NetCanvas', { exact: true })).toBeVisible();
  // The page opens on the start screen, in the remembered theme too.
  await app.getByRole('dialog', { name: 'Start' }).press('Escape');
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(isDark(await colours(app))).toBe(true);

  // Forcing Light beats a dark system; back to the system's choice, it follows it again.
  await app.emulateMedia({ colorScheme: 'dark' });
  await chooseTheme(app, 'Light');
  expect(isLight(await colours(app))).toBe(true);
  await chooseTheme(app, 'As the system');
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(isDark(await colours(app))).toBe(true);
});

test('the light theme, with MLP on MNIST', async ({ app }) => {
  await app.emulateMedia({ colorScheme: 'light' });
  await loadTemplate(app, 'MLP on MNIST');
  expect(isLight(await colours(app))).toBe(true);
  await screenshot(app, 'light-theme');
});

test.describe('on a 1280×720 projector', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('presentation mode folds the palette and the inspector, enlarges the network, and leaving restores it all', async ({ app }) => {
    await app.emulateMedia({ colorScheme: 'dark' });
    await loadTemplate(app, 'CNN on MNIST');
    const layerType = app.locator('.layer-type').first();
    const before = { size: await fontSize(layerType), height: (await app.locator('.layer-node').first().boundingBox())!.height, root: await fontSize(app.locator('html')) };
    await expect(app.getByTestId('panel-layers')).toBeVisible();
    await expect(app.getByTestId('panel-inspector')).toBeVisible();

    await app.screenshot({ path: test.info().outputPath('before-presentation.png') });
    await app.keyboard.press('F5');
    await expect(app.getByRole('button', { name: 'Presentation mode' })).toHaveText('Presenting — Esc to leave');
    await expect(app.getByTestId('panel-layers')).toHaveCount(0);
    await expect(app.getByTestId('panel-inspector')).toHaveCount(0);
    await expect(app.getByTestId('strip-layers')).toBeVisible();
    await expect(app.getByTestId('panel-training')).toBeVisible();
    // High contrast on a dark system too: black on white.
    const shown = await colours(app);
    expect(shown.background).toBeGreaterThan(0.95);
    expect(shown.text).toBeLessThan(0.01);
    expect(await fontSize(layerType)).toBeGreaterThan(before.size * 1.3);
    expect(await fontSize(app.locator('html'))).toBeGreaterThan(before.root);
    expect((await app.locator('.layer-node').first().boundingBox())!.height).toBeGreaterThan(before.height);

    await app.getByTestId('canvas').focus();
    await app.keyboard.press('Shift+1');
    await expect(app.locator('.react-flow__node').first()).toBeInViewport();
    await screenshot(app, 'presentation');

    // Escape leaves it while no dialog is open; with one open, Escape closes the dialog only.
    await app.keyboard.press('?');
    await expect(app.getByRole('dialog')).toBeVisible();
    await app.keyboard.press('Escape');
    await expect(app.getByRole('dialog')).toHaveCount(0);
    await expect(app.locator('html')).toHaveClass(/presentation/);
    await app.getByTestId('canvas').focus();
    await app.keyboard.press('Escape');
    await expect(app.locator('html')).not.toHaveClass(/presentation/);
    await expect(app.getByTestId('panel-layers')).toBeVisible();
    await expect(app.getByTestId('panel-inspector')).toBeVisible();
    await expect(app.getByRole('button', { name: 'Presentation mode' })).toHaveText('Present');
    expect(await fontSize(layerType)).toBe(before.size);
    expect(isDark(await colours(app))).toBe(true);

    // The toolbar's button goes in and, the same again, out; a panel folded before stays folded.
    await app.getByRole('button', { name: 'Hide the inspector panel' }).click();
    await app.getByRole('button', { name: 'Presentation mode' }).click();
    await expect(app.getByTestId('panel-layers')).toHaveCount(0);
    await app.getByRole('button', { name: 'Presentation mode' }).click();
    await expect(app.getByTestId('panel-layers')).toBeVisible();
    await expect(app.getByTestId('panel-inspector')).toHaveCount(0);
  });
});
