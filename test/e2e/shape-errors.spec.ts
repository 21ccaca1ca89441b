import { connect, drop, layer } from './canvas.js';
import { expect, screenshot, test } from './fixtures.js';

test('stacking two LSTMs shows the error on the second within one frame, and one click turns on return sequences in the first', async ({ app }) => {
  await drop(app, 'Input', 80, 120);
  await app.getByLabel('Shape').fill('20,8');
  await drop(app, 'LSTM', 380, 60);
  await drop(app, 'LSTM', 700, 200);
  const [first, second] = [layer(app, 'LSTM').nth(0), layer(app, 'LSTM').nth(1)];
  await connect(app, layer(app, 'Input'), first);
  await expect(first.getByTestId('output-shape')).toHaveText('(?, 32)');

  const problems = await connect(app, first, second, { watch: second });
  expect(problems).toContain('returns only its last step');
  await expect(app.getByTestId(/^edge-shape-/).filter({ hasText: '(?, 32)' })).toHaveCount(1);
  await app.locator('.react-flow__controls-fitview').click();
  await screenshot(app, 'shape-error', 'screenshot-shape-error');

  await second.getByRole('button', { name: 'Return sequences from LSTM' }).click();
  await expect(second.getByRole('alert')).toHaveCount(0);
  await expect(first.getByTestId('output-shape')).toHaveText('(?, 20, 32)');
  await expect(app.getByTestId(/^edge-shape-/).filter({ hasText: '(?, 20, 32)' })).toHaveCount(1);
  // LSTM: 4 · units · (features + units + 1).
  await expect(first.getByTestId('param-count')).toHaveText('5,248 params');
  await expect(second.getByTestId('param-count')).toHaveText('8,320 params');

  await app.getByRole('button', { name: 'Summary table' }).click();
  const table = app.getByTestId('summary-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(app.getByRole('dialog', { name: 'Model summary' })).toContainText('13,568');
});
