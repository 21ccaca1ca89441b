import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, loadTemplate, screenshot, test } from './fixtures.js';
import { FAMILY_LABELS } from '../../renderer/start/families.js';
import { hiddenIn } from '../../shared/graph/blocks.js';
import { projectSchema, type Project } from '../../shared/project/schema.js';

test.use({ viewport: { width: 1280, height: 720 } });

/** The templates folder as the Backend lists it. */
const TEMPLATES: Project[] = readdirSync('templates')
  .filter((f) => f.endsWith('.netcanvas.json'))
  .sort()
  .map((f) => projectSchema.parse(JSON.parse(readFileSync(path.join('templates', f), 'utf8'))));

/** How many boxes a template's picture has: its layers, a collapsed block counting as one. */
function drawnBoxes(project: Project): number {
  const hidden = new Set<string>();
  let shown = 0;
  for (const node of project.graph.nodes) {
    const block = hiddenIn(project.graph, node.id);
    if (block === undefined) shown++;
    else hidden.add(block);
  }
  return shown + hidden.size;
}

const startScreen = (page: Page) => page.getByRole('dialog', { name: 'Start' });
const card = (page: Page, name: string) => startScreen(page).getByRole('button', { name, exact: true });

test('the window opens on a gallery of every template, filtered by family, and a card loads its template', async ({ page, server }) => {
  rmSync(path.join(server.stateDir, 'recovery'), { recursive: true, force: true });
  await page.goto(server.url);
  const start = startScreen(page);
  await expect(start).toBeVisible();
  const cards = start.getByTestId('template-card');
  await expect(cards).toHaveCount(TEMPLATES.length);

  // Each card: a picture of its network, its name, family, what it teaches, what it reaches and how long it takes.
  for (const template of TEMPLATES) {
    const shown = card(page, template.name);
    await expect(shown, template.name).toHaveCount(1);
    await expect(shown.locator('.thumb-layer, .thumb-block')).toHaveCount(drawnBoxes(template));
    if (!template.gallery) continue;
    await expect(shown.getByTestId('card-family')).toHaveText(FAMILY_LABELS[template.gallery.family]);
    await expect(shown.getByTestId('card-teaches')).toHaveText(template.gallery.teaches);
    await expect(shown.getByTestId('card-result')).toContainText(template.gallery.result);
    await expect(shown.getByTestId('card-time')).toContainText(template.gallery.cpuTime);
  }

  // Readable from the back of a room, three or four cards a row at 1280 wide, the rest a scroll away.
  const sizes = await start
    .locator('.template-card-name')
    .evaluateAll((els) => els.map((el) => parseFloat((globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }).getComputedStyle(el).fontSize)));
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(15);
  const tops = await cards.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
  const perRow = tops.filter((top) => top === tops[0]).length;
  expect(perRow).toBeGreaterThanOrEqual(3);
  expect(perRow).toBeLessThanOrEqual(4);
  const [dialogBox, lastCard] = [(await start.boundingBox())!, (await cards.last().boundingBox())!];
  expect(dialogBox.y + dialogBox.height).toBeLessThanOrEqual(720);
  expect(dialogBox.width).toBeLessThanOrEqual(1280);
  if (lastCard.y + lastCard.height > dialogBox.y + dialogBox.height) {
    const gallery = start.locator('.start-gallery');
    expect(await gallery.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
  }
  await screenshot(page, 'gallery');

  // The keyboard: the first card has the focus, Tab goes on to the next.
  await expect(cards.first()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(cards.nth(1)).toBeFocused();

  // The family filter narrows the gallery to one family, and All brings every template back.
  const families = start.getByRole('group', { name: 'Family' });
  const all = families.getByRole('button', { name: 'All', exact: true });
  await expect(all).toHaveAttribute('aria-pressed', 'true');
  const gans = TEMPLATES.filter((t) => t.gallery?.family === 'gan').map((t) => t.name);
  expect(gans).toContain('DCGAN on MNIST');
  const gan = families.getByRole('button', { name: 'GAN', exact: true });
  await gan.click();
  await expect(gan).toHaveAttribute('aria-pressed', 'true');
  await expect(all).toHaveAttribute('aria-pressed', 'false');
  await expect(start.locator('.template-card-name')).toHaveText(gans);
  await families.getByRole('button', { name: 'CNN', exact: true }).click();
  await expect(start.locator('.template-card-name')).toHaveText(TEMPLATES.filter((t) => t.gallery?.family === 'cnn').map((t) => t.name));
  await all.click();
  await expect(cards).toHaveCount(TEMPLATES.length);

  // Choosing a card loads that template, as the toolbar's list does.
  const cnn = TEMPLATES.find((t) => t.name === 'CNN on MNIST')!;
  await card(page, 'CNN on MNIST').click();
  await expect(start).toHaveCount(0);
  await expect(page.getByTestId('project-name')).toHaveText('CNN on MNIST');
  await expect(page.locator('.react-flow__node')).toHaveCount(cnn.graph.nodes.length);

  // The toolbar's button brings the gallery back; Escape goes back to the canvas as it was.
  await page.getByRole('button', { name: 'New from the gallery…' }).click();
  await expect(start).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(start).toHaveCount(0);
  await expect(page.getByTestId('project-name')).toHaveText('CNN on MNIST');

  // So does the command, from the palette; Enter on a card loads it.
  await page.keyboard.press('Control+K');
  await page.keyboard.type('New from the gallery');
  await page.keyboard.press('Enter');
  await expect(start).toBeVisible();
  await card(page, 'MLP on Iris').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('project-name')).toHaveText('MLP on Iris');
  await expect(start).toHaveCount(0);

  // Empty canvas starts from nothing.
  await page.getByRole('button', { name: 'New from the gallery…' }).click();
  await start.getByRole('button', { name: 'Empty canvas' }).click();
  await expect(start).toHaveCount(0);
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.getByTestId('project-name')).toHaveText('Untitled network');
});

test('a saved project is among the recent ones on the start screen, and opens from there', async ({ app }) => {
  const fileName = `gallery-recent-${Date.now()}`;
  await loadTemplate(app, 'MLP on two spirals');
  await app.keyboard.press('Control+S');
  const saveAs = app.getByTestId('save-as-dialog');
  await saveAs.getByLabel('File name').fill(fileName);
  await saveAs.getByLabel('File name').press('Enter');
  await expect(app.getByTestId('notice')).toContainText('Saved “MLP on two spirals”');

  const start = startScreen(app);
  await app.getByRole('button', { name: 'New from the gallery…' }).click();
  await start.getByRole('button', { name: 'Empty canvas' }).click();
  await expect(app.locator('.react-flow__node')).toHaveCount(0);

  await app.getByRole('button', { name: 'New from the gallery…' }).click();
  const recent = start.getByRole('region', { name: 'Recent projects' }).getByTestId('project-row').filter({ hasText: `${fileName}.netcanvas.json` });
  await expect(recent).toHaveCount(1);
  await recent.click();
  await expect(start).toHaveCount(0);
  await expect(app.getByTestId('project-name')).toHaveText('MLP on two spirals');
  await expect(app.getByTestId('unsaved')).toHaveCount(0);
  await expect(app.locator('.react-flow__node')).toHaveCount(TEMPLATES.find((t) => t.name === 'MLP on two spirals')!.graph.nodes.length);
});

test('unsaved work left by a reload is offered back instead of the gallery', async ({ app }) => {
  await loadTemplate(app, 'MLP on Iris');
  await app.getByTestId('palette-Dropout').click();
  await expect(app.getByTestId('unsaved')).toBeVisible();
  await expect(app.getByTestId('autosave-status')).toContainText('recovery copy', { timeout: 15_000 });
  app.on('dialog', (dialog) => void dialog.accept());
  await app.reload();
  await expect(app.getByTestId('recovery-dialog')).toBeVisible();
  await expect(startScreen(app)).toHaveCount(0);
  await app.getByTestId('recovery-dialog').getByRole('button', { name: 'Restore' }).click();
  await expect(app.getByTestId('project-name')).toHaveText('MLP on Iris');
  await expect(startScreen(app)).toHaveCount(0);
});
