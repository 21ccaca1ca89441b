import { expect, loadTemplate, test, trainBriefly } from './fixtures.js';

test('a finished run goes on from its checkpoint, counting epochs from where it ended', async ({ app }) => {
  test.setTimeout(200_000);
  await loadTemplate(app, 'MLP on MNIST');
  await trainBriefly(app, { epochs: 1, batchesPerEpoch: 10, timeout: 90_000 });
  const first = await app.getByTestId('run-row').first().locator('.run-name').textContent();

  await app.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('completed', { timeout: 90_000 });
  await expect(app.getByTestId('progress-text')).toContainText('Epoch 2/2 (continued from epoch 1)');
  await expect(app.getByTestId('progress-text')).toContainText('batch 10/10');
  await expect(app.getByTestId('run-row').first()).toContainText(`from ${first!.split(' · ')[0]}`);

  // Per epoch, the continued run shows both epochs: the one it carried over and its own.
  await app.getByRole('button', { name: 'Per epoch' }).click();
  await expect(app.getByTestId('chart-legend')).toContainText('val loss');
  const epochs = await app.locator('.series-line').first().locator('path.recharts-line-curve').getAttribute('d');
  expect(epochs?.match(/[ML]/g)?.length).toBe(2);
});
