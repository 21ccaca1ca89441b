import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, screenshot, test } from './fixtures.js';
import { encodePng } from '../../electron/files/png.js';
import type { Page } from '@playwright/test';

async function openOwnData(page: Page, kind: string, where: string): Promise<void> {
  await page.getByTestId('dataset').selectOption('own');
  await expect(page.getByTestId('data-panel')).toBeVisible();
  await page.getByTestId('own-kind').selectOption(kind);
  await page.getByTestId('data-path').fill(where);
}

test('a CSV with a ragged row and a word in a number column: both named by line, the other rows load', async ({ app }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-e2e-csv-'));
  const file = path.join(dir, 'plants.csv');
  const rows = ['height,width,weight,kind'];
  for (let i = 0; i < 30; i++) rows.push(`${(1 + i * 0.1).toFixed(1)},${(2 + (i % 5) * 0.3).toFixed(1)},${10 + i},${i % 2 ? 'fern' : 'moss'}`);
  // Line 1 is the header: the ragged row is line 8, the word "tall" line 13.
  rows[7] = '1.7,2.1';
  rows[12] = 'tall,2.4,22,moss';
  writeFileSync(file, `${rows.join('\n')}\n`);

  // A path that is not there yet reads as no examples, and says which file it looked for.
  await openOwnData(app, 'csv', path.join(dir, 'plants-2024.csv'));
  await expect(app.getByTestId('data-unreadable')).toBeVisible({ timeout: 30_000 });
  await expect(app.getByTestId('data-problems')).toContainText('plants-2024.csv');

  await app.getByTestId('data-path').fill(file);
  await expect(app.getByTestId('data-name')).toHaveText('plants.csv', { timeout: 30_000 });
  const problems = app.getByTestId('data-problems');
  await expect(problems.getByTestId('data-problem').filter({ hasText: 'line 8' })).toHaveCount(1);
  await expect(problems.getByTestId('data-problem').filter({ hasText: 'line 13' })).toHaveCount(1);
  await expect(problems.getByTestId('data-problem').filter({ hasText: 'line 13' })).toContainText('tall');
  // 30 rows, 2 skipped.
  await expect(app.getByTestId('data-samples')).toHaveText('28');
  await expect(app.getByTestId('class-balance').locator('.recharts-bar-rectangle')).toHaveCount(2);
  await expect(app.getByTestId('data-columns')).toContainText('weight');
  await expect(app.getByTestId('view-data').locator('.tab-badge.warn')).toHaveText('2');
  await screenshot(app, 'data-problems');

  // Leaving a column out of the inputs narrows each example.
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 3)');
  await app.getByTestId('csv-features').getByLabel('weight').uncheck();
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 2)');
});

test('an image folder with an empty class folder and a note among the pictures: both are named', async ({ app }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-e2e-images-'));
  const size = 12;
  for (const [name, shade] of [['cat', 40], ['dog', 200]] as const) {
    mkdirSync(path.join(dir, name));
    for (let i = 0; i < 6; i++) {
      const pixels = new Uint8Array(size * size * 3).map((_, k) => (shade + k * 7 + i * 13) % 256);
      writeFileSync(path.join(dir, name, `${name}-${i}.png`), encodePng(pixels, size, size, 3));
    }
  }
  mkdirSync(path.join(dir, 'bird'));
  writeFileSync(path.join(dir, 'dog', 'notes.txt'), 'taken in the garden\n');

  await openOwnData(app, 'image-folder', dir);
  await expect(app.getByTestId('data-name')).toHaveText(path.basename(dir), { timeout: 30_000 });
  await expect(app.getByTestId('data-samples')).toHaveText('12');
  const problems = app.getByTestId('data-problems');
  await expect(problems).toContainText('bird');
  await expect(problems.getByTestId('data-problem').filter({ hasText: 'notes.txt' })).toContainText('dog/notes.txt');
  await expect(app.getByTestId('data-images').getByTestId('data-image').first()).toBeVisible();
  await expect(app.getByTestId('class-balance').locator('.recharts-bar-rectangle')).toHaveCount(2);
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 32, 32, 3)');

  // Images read smaller and grey.
  await app.getByTestId('image-height').fill('16');
  await app.getByTestId('image-width').fill('16');
  await app.getByTestId('image-color').selectOption('gray');
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 16, 16, 1)', { timeout: 30_000 });
  await screenshot(app, 'data-image-folder');
});

test('the CSV form: the first row and separator can be set, the last input stays, a failing setting can be undone, a new file starts afresh', async ({ app }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-e2e-csv-form-'));
  const plants = path.join(dir, 'plants.csv');
  const rows = ['height,width,kind'];
  for (let i = 0; i < 20; i++) rows.push(`${(1 + i * 0.1).toFixed(1)},${(2 + (i % 5) * 0.3).toFixed(1)},${i % 2 ? 'fern' : 'moss'}`);
  writeFileSync(plants, `${rows.join('\n')}\n`);
  // Semicolons, decimal commas and whole-number classes; none of plants.csv's columns.
  const ratings = path.join(dir, 'ratings.csv');
  const lines = ['price;stars'];
  for (let i = 0; i < 20; i++) lines.push(`${i},5;${(i % 5) + 1}`);
  writeFileSync(ratings, `${lines.join('\n')}\n`);

  await openOwnData(app, 'csv', plants);
  await expect(app.getByTestId('data-samples')).toHaveText('20', { timeout: 30_000 });
  const features = app.getByTestId('csv-features');
  await features.getByLabel('width').uncheck();
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 1)');

  // The last input cannot be cleared, and the form says why.
  await features.getByLabel('height').click();
  await expect(app.getByTestId('csv-features-refused')).toContainText('“height” is the only input left');
  await expect(features.getByLabel('height')).toBeChecked();
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 1)');

  // Read as tab-separated, the file is one column and does not load; its columns stay so the separator can be put back.
  await app.getByTestId('csv-delimiter').selectOption('\t');
  await expect(app.getByTestId('data-unreadable')).toBeVisible({ timeout: 30_000 });
  await expect(app.getByTestId('csv-columns-kept')).toBeVisible();
  await expect(features.getByLabel('height')).toBeVisible();
  await app.getByTestId('csv-delimiter').selectOption('auto');
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 2)', { timeout: 30_000 });
  await expect(app.getByTestId('csv-columns-kept')).toHaveCount(0);

  // The first row read as data: the columns are named by position, and the names are a row with words in number columns.
  await app.getByTestId('csv-header').selectOption('data');
  await expect(app.getByTestId('data-columns')).toContainText('column 1', { timeout: 30_000 });
  await expect(app.getByTestId('data-problems').getByTestId('data-problem').filter({ hasText: 'line 1' })).toHaveCount(1);
  await app.getByTestId('csv-header').selectOption('auto');
  await expect(app.getByTestId('data-columns')).toContainText('height', { timeout: 30_000 });

  // Another file: the inputs chosen for plants.csv are forgotten, and its own columns load.
  await features.getByLabel('width').uncheck();
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 1)', { timeout: 30_000 });
  await app.getByTestId('data-path').fill(ratings);
  await expect(app.getByTestId('data-name')).toHaveText('ratings.csv', { timeout: 30_000 });
  await expect(app.getByTestId('data-samples')).toHaveText('20');
  await expect(app.getByTestId('csv-features').getByLabel('price')).toBeChecked();
  await expect(app.getByTestId('class-balance').locator('.recharts-bar-rectangle')).toHaveCount(5);
});
