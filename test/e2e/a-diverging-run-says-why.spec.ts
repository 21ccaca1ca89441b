import { expect, test } from './fixtures.js';

// A linear output under squared error and plain SGD at rate 10 grows without bound within a few batches.
const diverging = {
  schemaVersion: 1,
  name: 'Diverging network',
  graph: {
    nodes: [
      { id: 'in', type: 'Input', params: { shape: [28, 28, 1] }, position: { x: 0, y: 0 } },
      { id: 'flat', type: 'Flatten', params: {}, position: { x: 300, y: 0 } },
      { id: 'out', type: 'Dense', params: { units: 10 }, position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: 'in', target: 'flat' },
      { id: 'e2', source: 'flat', target: 'out' },
    ],
  },
  training: { dataset: 'mnist', loss: 'meanSquaredError', optimizer: 'sgd', learningRate: 10, batchSize: 32, epochs: 1 },
};

test('a run whose loss becomes NaN stops with the likely causes, and the network stays as it was', async ({ app }) => {
  test.setTimeout(120_000);
  await app.getByTestId('open-file').setInputFiles({ name: 'diverging.netcanvas.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(diverging)) });
  await expect(app.getByTestId('project-name')).toHaveText('Diverging network');
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('failed', { timeout: 90_000 });
  const error = app.getByTestId('training-error');
  await expect(error).toContainText('Training diverged: the loss became');
  await expect(error).toContainText('the learning rate (10) is too high');
  await expect(app.locator('.react-flow__node')).toHaveCount(3);
  // The same network trains once the rate is sensible.
  await app.getByTestId('learning-rate').fill('0.001');
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('training-status')).not.toHaveText('failed', { timeout: 30_000 });
  await app.getByRole('button', { name: 'Stop' }).click();
  await expect(app.getByTestId('training-status')).toHaveText('stopped', { timeout: 60_000 });
});
