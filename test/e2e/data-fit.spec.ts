import { expect, loadTemplate, test } from './fixtures.js';

test('a CNN for images on a two-column table: the Data panel says what does not fit, and so does Train', async ({ app }) => {
  await loadTemplate(app, 'CNN on MNIST');
  await app.getByTestId('dataset').selectOption('spirals');
  await expect(app.getByTestId('data-name')).toHaveText('Two spirals', { timeout: 30_000 });
  await expect(app.getByTestId('data-shape')).toHaveText('(?, 2)');
  const fit = app.getByTestId('data-fit');
  await expect(fit).toContainText('does not fit');
  await expect(fit.getByTestId('fit-problem').filter({ hasText: 'Input' })).toContainText('(?, 2)');
  await expect(app.getByTestId('fit-link')).toBeVisible();

  // Train is not held back: the Backend checks the same and refuses in words.
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('failed', { timeout: 60_000 });
  await expect(app.getByTestId('training-error')).toContainText('does not fit');
  await expect(app.getByTestId('training-error')).toContainText('(?, 2)');

  // Boston house prices is a regression: one click switches the task (and the loss with it).
  await app.getByTestId('view-data').click();
  await app.getByTestId('dataset').selectOption('boston-housing');
  await expect(app.getByTestId('data-name')).toHaveText('Boston house prices', { timeout: 30_000 });
  await fit.getByRole('button', { name: 'Switch task to Regression' }).click();
  await expect(app.getByTestId('task')).toHaveValue('regress');
  await app.getByText('More settings').click();
  await expect(app.getByTestId('loss')).toHaveValue('meanSquaredError');
  await expect(fit.getByTestId('fit-problem').first()).toBeVisible();
  await expect(fit).not.toContainText('cannot train');
});
