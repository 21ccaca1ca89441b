import type { Page } from '@playwright/test';
import { expect, loadTemplate, screenshot, test, trainBriefly } from './fixtures.js';

// The page's elements as the tests read them (the tests' TypeScript has no DOM).
interface Styled {
  style: { background: string };
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Gives the training panel most of the window, as one would to look at an explanation. */
async function roomyTrainingPanel(page: Page): Promise<void> {
  await page.getByTestId('splitter-training').focus();
  for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowUp');
}

// The characters of a prompt as the attention map labels them: spaces shown as ␣.
const visible = (text: string) => [...text].map((c) => (c === ' ' ? '␣' : c));

test('a character transformer shows each head’s attention over the prompt’s characters', async ({ app }) => {
  test.setTimeout(180_000);
  await loadTemplate(app, 'Character Transformer on Moby-Dick');
  // Before a run there is nothing to try, and the tab says why (no other test trains this template).
  await app.getByTestId('view-try').click();
  await expect(app.getByTestId('insight-blocker')).toContainText('Train the network first');
  await app.getByTestId('view-training').click();
  await trainBriefly(app, { epochs: 1, batchesPerEpoch: 12 });

  await roomyTrainingPanel(app);
  await app.getByTestId('view-explain').click();
  const prompt = 'call me ishmael';
  await app.getByTestId('explain-text').fill(prompt);
  await app.getByTestId('explain-use-text').click();
  await expect(app.getByTestId('explain-input-label')).toHaveText('Prompt');
  await app.getByTestId('explain-method').selectOption('attention');
  await expect(app.getByTestId('explain-layer')).toHaveValue('attention');
  await app.getByTestId('explain-button').click();

  const map = app.getByTestId('attention-map');
  await expect(map).toHaveAttribute('data-heads', '4', { timeout: 60_000 });
  // The window is 48 characters: a short prompt is its last ones, after filler the map leaves out until asked.
  const labels = (axis: string) => map.locator(`[data-testid="attention-label"][data-axis="${axis}"]`).allTextContents();
  expect(await labels('query')).toEqual(visible(prompt));
  expect(await labels('key')).toEqual(visible(prompt));
  await app.getByTestId('attention-filler').check();
  const all = await labels('query');
  expect(all).toHaveLength(48);
  expect(all.slice(-prompt.length)).toEqual(visible(prompt));
  expect(new Set(all.slice(0, -prompt.length))).toEqual(new Set(['·']));
  await app.getByTestId('attention-filler').uncheck();

  // Each head is a map of its own.
  const firstHead = await map.locator('.attention-cell').evaluateAll((cells) => cells.map((c) => (c as unknown as Styled).style.background).join());
  await app.getByTestId('attention-head').selectOption('1');
  await expect.poll(() => map.locator('.attention-cell').evaluateAll((cells) => cells.map((c) => (c as unknown as Styled).style.background).join())).not.toBe(firstHead);
  await screenshot(app, 'attention');
});

/** Holds test example `index` as the input, from the Try tab's number field, and waits for the network's answer. */
async function holdTestExample(page: Page, index: number): Promise<void> {
  await page.getByTestId('view-try').click();
  await page.getByTestId('example-index').fill(String(index));
  await page.getByTestId('view-explain').click();
  await expect(page.getByTestId('explain-input-label')).toContainText(String(index));
  await expect(page.getByTestId('explain-answer')).toBeVisible({ timeout: 60_000 });
}

test('a CNN on MNIST explains a test digit with saliency, and an invisible nudge changes its answer', async ({ app }) => {
  test.setTimeout(180_000);
  await loadTemplate(app, 'CNN on MNIST');
  await trainBriefly(app, { epochs: 1, batchesPerEpoch: 60 });
  await roomyTrainingPanel(app);

  // With no input yet, Explain offers a test example of its own.
  await app.getByTestId('view-explain').click();
  await expect(app.getByTestId('explain-button')).toBeDisabled();
  await app.getByTestId('explain-take-example').click();
  await expect(app.getByTestId('explain-input-label')).toContainText('Test example');
  await expect(app.getByTestId('explain-answer')).toBeVisible({ timeout: 60_000 });

  await app.getByTestId('explain-method').selectOption('saliency');
  await app.getByTestId('explain-button').click();
  const overlay = app.getByTestId('heat-overlay');
  await expect(overlay).toBeVisible({ timeout: 60_000 });
  await expect(overlay).toHaveAttribute('data-method', 'saliency');
  // The heat map is drawn over the digit: the canvas holds colours, not only the digit's greys.
  const coloured = await overlay.locator('canvas').evaluate((node) => {
    const canvas = node as unknown as Canvas;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - data[i + 2]!) > 40) count++;
    return count;
  });
  expect(coloured).toBeGreaterThan(50);
  await screenshot(app, 'saliency');

  // MNIST's test examples 2 and 5 are ones, which a briefly trained network tells from 8 least surely.
  await app.getByTestId('explain-method').selectOption('adversarial');
  const view = app.getByTestId('adversarial-view');
  for (const index of [2, 5, 14]) {
    await holdTestExample(app, index);
    await app.getByTestId('explain-button').click();
    await expect(view).toBeVisible({ timeout: 60_000 });
    await expect(app.getByTestId('explanation')).not.toHaveClass(/data-stale/);
    if ((await view.getAttribute('data-changed')) === 'true') break;
  }
  await expect(view).toHaveAttribute('data-changed', 'true');
  await expect(app.getByTestId('adversarial-difference')).toBeVisible();
  const before = await app.getByTestId('adversarial-before').locator('li').first().getAttribute('data-class');
  const after = await app.getByTestId('adversarial-after').locator('li').first().getAttribute('data-class');
  expect(before).not.toBeNull();
  expect(after).not.toBe(before);
  await expect(app.getByTestId('adversarial-sentence')).toContainText(`turns “${before}”`);
  await screenshot(app, 'adversarial');

  // A cap below the step that was needed finds no change, and says so.
  const needed = Number(await view.getAttribute('data-epsilon'));
  await app.getByTestId('adversarial-epsilon').fill(String(Math.max(0.005, Math.floor((needed / 2) * 200) / 200)));
  await expect(view).toHaveAttribute('data-changed', 'false', { timeout: 60_000 });
  await expect(app.getByTestId('adversarial-sentence')).toContainText('try a larger strength');
});
