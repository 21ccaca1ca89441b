import { expect, loadTemplate, test } from './fixtures.js';

test('a run that cannot train says why in words, and the network on the canvas stays as it was', async ({ app }) => {
  test.setTimeout(120_000);
  await loadTemplate(app, 'MLP on MNIST');
  // An image classifier handed text: the Backend refuses the run and says what does not fit.
  await app.getByTestId('dataset').selectOption('moby-dick');
  await expect(app.getByText('Classify does not work on Moby-Dick (text)')).toBeVisible();
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('failed', { timeout: 60_000 });
  const error = app.getByTestId('training-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('does not fit');
  await expect(app.locator('.react-flow__node')).toHaveCount(5);
  await expect(app.getByTestId('total-params')).toHaveText('101,770');

  // Back on MNIST the same network trains again.
  await app.getByTestId('dataset').selectOption('mnist');
  await expect(app.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});

test('settings that cannot work are refused before anything is sent', async ({ app }) => {
  await loadTemplate(app, 'MLP on MNIST');
  const train = app.getByRole('button', { name: 'Train', exact: true });
  await app.getByTestId('learning-rate').fill('-1');
  await expect(app.getByText('Learning rate must be above 0.', { exact: true })).toBeVisible();
  await expect(train).toBeDisabled();
  await app.getByTestId('learning-rate').fill('0.01');
  await app.getByTestId('batch-size').fill('12.5');
  await expect(app.getByText('Batch size must be a whole number.', { exact: true })).toBeVisible();
  await app.getByTestId('batch-size').fill('64');
  await app.getByTestId('optimizer').selectOption('momentum');
  await app.getByTestId('momentum').fill('1.5');
  await expect(app.getByText('Momentum must be at most 0.999.', { exact: true })).toBeVisible();
  await expect(train).toBeDisabled();
  // A bad value folded away under "More settings" is still named beside Train.
  await app.getByTestId('momentum').fill('0.9');
  await app.getByText('More settings').click();
  await app.getByTestId('schedule').selectOption('step');
  await app.getByTestId('schedule-factor').fill('2');
  await expect(app.locator('#setting-scheduleFactor-note')).toHaveText('Multiply by must be at most 1.');
  await app.getByText('More settings').click();
  await expect(app.locator('.blocker')).toContainText('Multiply by must be at most 1.');
  await expect(train).toBeDisabled();
  await app.getByText('More settings').click();
  await app.getByTestId('schedule-factor').fill('0.5');
  await expect(train).toBeEnabled();
  // Runs of this template kept by earlier tests may be listed; none was started here.
  await expect(app.getByTestId('training-status')).not.toHaveText(/starting|running|failed/);
  await expect(app.getByTestId('run-row').filter({ hasText: /starting|running|failed/ })).toHaveCount(0);
});
