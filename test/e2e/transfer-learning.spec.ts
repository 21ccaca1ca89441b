import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect, screenshot, test, trainBriefly } from './fixtures.js';

/** A tiny CNN for 28×28×1 digits, saved by tfjs itself: model.json and one weight file. */
async function savedCnn(): Promise<{ json: Buffer; shard: Buffer }> {
  const model = tf.sequential({
    name: 'tiny_cnn',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ name: 'pool', poolSize: 2 }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ name: 'head', units: 10, activation: 'softmax' }),
    ],
  });
  let saved: { json: Buffer; shard: Buffer } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightsManifest = [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }];
      saved = {
        json: Buffer.from(JSON.stringify({ format: 'layers-model', modelTopology: artifacts.modelTopology, weightsManifest })),
        shard: Buffer.from(artifacts.weightData as ArrayBuffer),
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return saved!;
}

test('open a tfjs model with its weights, freeze its base, train from those weights, and save the project with them', async ({ app, server }) => {
  test.setTimeout(90_000);
  const { json, shard } = await savedCnn();

  await app.getByTestId('open-file').setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: json },
    { name: 'group1-shard1of1.bin', mimeType: 'application/octet-stream', buffer: shard },
  ]);
  await expect(app.getByTestId('notice')).toContainText('Imported model.json (TensorFlow.js model, 5 layers). Its weights (2 layers) are in the Runs list');
  const imported = app.getByTestId('run-row').filter({ hasText: 'Weights from model.json' });
  await expect(imported).toHaveCount(1);
  await expect(imported).toContainText('imported');

  // Freeze the convolution: the inspector's switch, the model's counts at once, and a band across the node.
  const conv = app.getByTestId('rf__node-conv1');
  await conv.click();
  await expect(app.getByTestId('non-trainable-params')).toHaveText('0');
  await app.getByRole('switch', { name: /Freeze/ }).check();
  await expect(app.getByTestId('non-trainable-params')).toHaveText('40');
  await expect(app.getByTestId('trainable-params')).toHaveText('6,770');
  await expect(app.getByTestId('total-params')).toHaveText('6,810');
  const badge = conv.locator('.frozen-badge');
  await expect(badge).toHaveText('❄Frozen');
  await expect(app.locator('.frozen-badge')).toHaveCount(1);
  // Readable at the zoom that fits the network: as wide as the layer, its word as tall as the layer's type.
  const [badgeBox, nodeBox, typeBox] = await Promise.all([badge.boundingBox(), conv.boundingBox(), conv.locator('.layer-type').boundingBox()]);
  expect(badgeBox!.width).toBeGreaterThan(nodeBox!.width * 0.9);
  expect(badgeBox!.height).toBeGreaterThanOrEqual(typeBox!.height);

  await imported.getByRole('button', { name: 'Start from these weights' }).click();
  const chosen = imported.getByRole('button', { name: 'Next run starts here' });
  await expect(chosen).toBeDisabled();
  // The narrow Runs column keeps the label on one line, as tall as the one-word Export… beside it.
  const [chosenBox, exportBox] = await Promise.all([chosen.boundingBox(), imported.getByRole('button', { name: 'Export…' }).boundingBox()]);
  expect(chosenBox!.height).toBeLessThanOrEqual(exportBox!.height + 1);
  await expect(app.getByText('Starts from the weights from model.json (in tiny_cnn)')).toBeVisible();
  await screenshot(app, 'transfer-learning');

  // With no layer selected, the inspector's own "More settings" is gone.
  await app.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await trainBriefly(app, { epochs: 1, batchesPerEpoch: 3, timeout: 60_000 });
  await expect(app.getByTestId('run-row')).toHaveCount(2);
  // The run says, quietly in its messages, which layers took the weights.
  await expect(app.getByTestId('training-notes')).toContainText('Started from the saved weights: conv1, head took them.');
  await expect(app.getByTestId('training-warning')).toHaveCount(0);

  // Saved to a file for the first time: the imported weights go beside it with the new run.
  await app.keyboard.press('Control+S');
  await app.getByTestId('save-as-dialog').getByRole('button', { name: 'Save' }).click();
  await expect(app.getByTestId('notice')).toContainText('Saved “tiny_cnn” to');
  // The server is shared with other specs, which save projects of their own there.
  const file = readdirSync(server.projectsDir).find((f) => f.startsWith('tiny_cnn') && f.endsWith('.netcanvas.json'))!;
  const runsDir = path.join(server.projectsDir, file.replace(/\.netcanvas\.json$/, '.runs'));
  const statuses = readdirSync(runsDir).map((id) => (JSON.parse(readFileSync(path.join(runsDir, id, 'run.json'), 'utf8')) as { status: string }).status);
  expect(statuses.sort()).toEqual(['completed', 'imported']);
});
