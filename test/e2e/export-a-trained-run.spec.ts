import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, loadTemplate, screenshot, test, trainBriefly } from './fixtures.js';

test('a run trained in the browser is exported to PyTorch, into a folder on the server that the dialog names', async ({ app, server }) => {
  test.setTimeout(300_000);
  await loadTemplate(app, 'MLP on MNIST');
  await trainBriefly(app, { epochs: 1, batchesPerEpoch: 5, timeout: 120_000 });

  await app.getByTestId('run-row').first().getByRole('button', { name: 'Export…' }).click();
  const dialog = app.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: /PyTorch/ }).check();
  await expect(dialog.getByRole('radio', { name: /Best epoch \(epoch 1/ })).toBeChecked();
  await expect(dialog).toContainText('Written on the server, in the projects folder’s exports folder.');
  await screenshot(app, 'export-dialog');

  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const result = dialog.getByTestId('export-result');
  await expect(result).toContainText('Written on the server in', { timeout: 150_000 });
  const folder = (await result.locator('p .mono').textContent())!;
  expect(path.dirname(folder)).toBe(path.join(server.projectsDir, 'exports'));
  expect(path.basename(folder)).toMatch(/^mlp-on-mnist-[\w-]+-pytorch$/);
  for (const name of ['model.py', 'weights.safetensors', 'predict.py', 'train.py', 'README.md']) {
    await expect(result.getByText(name, { exact: true })).toBeVisible();
    expect(existsSync(path.join(folder, name)), name).toBe(true);
  }
  await screenshot(app, 'export-dialog-done');
});
