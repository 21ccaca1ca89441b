import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, startServe, test } from './fixtures.js';

test('a path outside the allowed folders, and /dev/zero, are refused in words; the server reads the next file', async ({ app }) => {
  await app.getByTestId('dataset').selectOption('own');
  await app.getByTestId('own-kind').selectOption('text');
  const refused = app.getByTestId('data-refused');

  await app.getByTestId('data-path').fill('/etc/passwd');
  await expect(refused).toContainText('NetCanvas may not read /etc/passwd: it is outside the folders this server reads data from', { timeout: 30_000 });
  await expect(refused).toContainText('--allow');
  await expect(app.getByTestId('data-samples')).toHaveCount(0);
  // Browser mode has no dialog to choose with.
  await expect(app.getByTestId('data-path-choose')).toHaveCount(0);
  await expect(app.getByTestId('data-refused-choose')).toHaveCount(0);

  await app.getByTestId('own-kind').selectOption('image-folder');
  await app.getByTestId('data-path').fill('/etc');
  await expect(refused).toContainText('NetCanvas may not read /etc:', { timeout: 30_000 });

  await app.getByTestId('own-kind').selectOption('text');
  await app.getByTestId('data-path').fill('/dev/zero');
  await expect(refused).toContainText('NetCanvas may not read /dev/zero:', { timeout: 30_000 });

  // The project kept its source, and the server still answers: a file in an allowed folder reads.
  const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-e2e-access-'));
  const file = path.join(dir, 'tiny.csv');
  writeFileSync(file, `size,kind\n${Array.from({ length: 20 }, (_, i) => `${i},${i % 2 ? 'odd' : 'even'}`).join('\n')}\n`);
  await app.getByTestId('own-kind').selectOption('csv');
  await app.getByTestId('data-path').fill(file);
  await expect(app.getByTestId('data-name')).toHaveText('tiny.csv', { timeout: 30_000 });
  await expect(refused).toHaveCount(0);
  await expect(app.getByTestId('data-samples')).toHaveText('20');
});

test('/dev/zero is refused as a device even where /dev is allowed, and the server keeps serving', async ({ page }) => {
  const { info, child } = await startServe({ env: { NETCANVAS_ALLOW: ['/dev', tmpdir()].join(path.delimiter) } });
  try {
    await page.goto(info.url);
    await page.getByTestId('dataset').selectOption('own');
    await page.getByTestId('own-kind').selectOption('text');
    await page.getByTestId('data-path').fill('/dev/zero');
    await expect(page.getByTestId('data-refused')).toContainText('/dev/zero is a device, not a regular file', { timeout: 30_000 });
    await page.getByTestId('own-kind').selectOption('csv');
    await expect(page.getByTestId('data-refused')).toContainText('/dev/zero is a device', { timeout: 30_000 });

    const dir = mkdtempSync(path.join(tmpdir(), 'netcanvas-e2e-access-'));
    const file = path.join(dir, 'after.csv');
    writeFileSync(file, `size,kind\n${Array.from({ length: 12 }, (_, i) => `${i},${i % 3 ? 'a' : 'b'}`).join('\n')}\n`);
    await page.getByTestId('data-path').fill(file);
    await expect(page.getByTestId('data-samples')).toHaveText('12', { timeout: 30_000 });
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGTERM');
  }
});
