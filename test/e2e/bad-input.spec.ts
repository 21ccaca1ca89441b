import { expect, test } from './fixtures.js';

test('opening a file that is not a project says what is wrong and keeps the canvas', async ({ app }) => {
  await app.getByTestId('template-select').selectOption({ label: 'MLP on MNIST' });
  await expect(app.locator('.react-flow__node')).toHaveCount(5);
  await app.getByTestId('open-file').setInputFiles({ name: 'notes.netcanvas.json', mimeType: 'application/json', buffer: Buffer.from('{"schemaVersion": 1, nodes: []}') });
  await expect(app.getByTestId('notice')).toContainText('notes.netcanvas.json: The file is not valid JSON');
  await expect(app.locator('.react-flow__node')).toHaveCount(5);
});

test('a page opened without the access token is told how to get in', async ({ page, server }) => {
  await page.goto(server.origin);
  await expect(page.getByTestId('notice')).toContainText('needs the address printed by "npm run serve"');
});
