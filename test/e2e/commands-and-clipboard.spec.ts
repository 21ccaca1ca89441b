import type { Locator, Page } from '@playwright/test';
import { layer } from './canvas.js';
import { expect, loadTemplate, screenshot, test } from './fixtures.js';

type Box = { x: number; y: number; width: number; height: number };

async function boxes(nodes: Locator): Promise<Box[]> {
  return nodes.evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })));
}

function overlapping(all: Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i]!, all[j]!];
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) found.push(`${i} and ${j}`);
    }
  }
  return found;
}

const nodes = (page: Page) => page.locator('.react-flow__node');

test('the command palette finds commands and layers by a few letters, and runs them', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  await layer(app, 'Dense').first().click();
  await app.keyboard.press('Control+K');
  const palette = app.getByTestId('quick-pick');
  await expect(palette).toBeVisible();
  await app.keyboard.type('la');
  await expect(palette.getByRole('option').first()).toContainText('Add a layer');
  await screenshot(app, 'command-palette');
  await app.keyboard.press('Control+A');
  await app.keyboard.type('sav');
  await expect(palette.getByRole('option').first()).toContainText('Save');
  await expect(palette.getByRole('option').first()).toContainText('Ctrl+S');
  await app.keyboard.press('Control+A');
  await app.keyboard.type('conv');
  await expect(palette.getByRole('option', { name: /^Add Conv2D Slides/ })).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(palette).toHaveCount(0);

  // A command that moves the focus keeps it: Rename project… from the palette.
  await app.keyboard.press('Control+K');
  await app.keyboard.type('rename project');
  await app.keyboard.press('Enter');
  await expect(app.getByLabel('Project name')).toBeFocused();
  await app.keyboard.press('Control+A');
  await app.keyboard.type('Digits');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('project-name')).toHaveText('Digits');
  await app.getByTestId('canvas').focus();

  // What cannot run now is listed greyed, with the reason.
  await app.keyboard.press('Control+K');
  await app.keyboard.type('redo');
  await expect(palette.getByRole('option').first()).toContainText('Nothing to redo.');
  await app.keyboard.press('Escape');

  // A layer picked in the palette goes after the selected one, connected, and covers nothing.
  await app.keyboard.press('Control+K');
  await app.keyboard.type('batchnormalization');
  await app.keyboard.press('Enter');
  await expect(nodes(app)).toHaveCount(6);
  await expect(app.locator('.react-flow__edge')).toHaveCount(5);
  await expect(layer(app, 'BatchNormalization').getByTestId('output-shape')).toHaveText('(?, 128)');
  expect(overlapping(await boxes(nodes(app)))).toEqual([]);
});

test('right-click menus, select all, and layers copied and pasted within a project and into another window', async ({ app, context, server }) => {
  await loadTemplate(app, 'MLP on MNIST');
  await layer(app, 'Dense').first().click({ button: 'right' });
  const menu = app.getByRole('menu');
  await expect(menu.getByRole('menuitem', { name: /Duplicate/ })).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: /Delete/ })).toBeVisible();
  // The keyboard works the menu: arrows to Duplicate, Enter to run it.
  await expect(menu.getByRole('menuitem', { name: /Cut/ })).toBeFocused();
  for (let i = 0; i < 3; i++) await app.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: /Duplicate/ })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect(nodes(app)).toHaveCount(6);
  expect(overlapping(await boxes(nodes(app)))).toEqual([]);
  await app.keyboard.press('Control+Z');
  await expect(nodes(app)).toHaveCount(5);

  // Ctrl+A on the canvas selects the layers, not the page's text.
  await app.getByTestId('canvas').focus();
  await app.keyboard.press('Control+A');
  await expect(app.locator('.react-flow__node.selected')).toHaveCount(5);
  // Runs in the page; the test build has no DOM typings, so name what it uses.
  expect(await app.evaluate(() => String((globalThis as unknown as { getSelection(): unknown }).getSelection()))).toBe('');

  // Flatten and the first Dense, with the connection between them (Escape lets go of the rest first).
  await app.keyboard.press('Escape');
  await layer(app, 'Flatten').click();
  await layer(app, 'Dense').first().click({ modifiers: ['Control'] });
  await app.keyboard.press('Control+C');
  await app.keyboard.press('Control+V');
  await expect(nodes(app)).toHaveCount(7);
  await expect(app.locator('.react-flow__edge')).toHaveCount(5);
  expect(overlapping(await boxes(nodes(app)))).toEqual([]);

  // Another window of the app pastes the same layers from the system clipboard.
  const other = await context.newPage();
  await other.goto(server.url);
  await expect(other.getByText('NetCanvas', { exact: true })).toBeVisible();
  await other.getByTestId('canvas').focus();
  await other.keyboard.press('Control+V');
  await expect(nodes(other)).toHaveCount(2);
  await expect(other.locator('.react-flow__edge')).toHaveCount(1);
  await expect(layer(other, 'Dense').locator('.layer-params')).toHaveText('128 · relu');
  await other.close();
});
