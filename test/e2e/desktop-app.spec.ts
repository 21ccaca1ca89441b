import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { _electron as electron } from '@playwright/test';
import { expect, test } from './fixtures.js';

const electronDir = path.resolve('node_modules/electron');
const pathFile = path.join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
const noBinaryReason = 'no Electron binary on this machine (it cannot be downloaded here); browser mode covers the same Backend';

test('the desktop window loads the app through the preload bridge', async () => {
  test.skip(!binary || !existsSync(binary), noBinaryReason);
  const app = await electron.launch({ executablePath: binary!, args: [path.resolve('dist/electron/main.js')] });
  const window = await app.firstWindow();
  await expect(window.getByText('desktop')).toBeVisible();
  expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  // The menus are the command registry's.
  const menus = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((item) => item.label) ?? []);
  expect(menus).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Train', 'Help']));
  await app.close();
});
