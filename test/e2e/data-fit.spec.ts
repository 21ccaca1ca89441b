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

  // Train is held back with the same words, and so is Ctrl+Enter (the Backend would refuse it too).
  await expect(app.getByRole('button', { name: 'Train', exact: true })).toBeDisabled();
  await expect(app.getByTestId('train-blocker')).toContainText('does not fit');
  await expect(app.getByTestId('train-blocker')).toContainText('(?, 2)');
  await app.getByTestId('canvas').focus();
  await app.keyboard.press('Control+Enter');
  await expect(app.getByTestId('notice')).toContainText('does not fit');
  await expect(app.getByTestId('training-status')).toHaveText('idle');

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
