import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.js';

const functional = readFileSync('test/fixtures/keras/keras2-functional-merges.json');

test('open a functional Keras model with merges and a wrapper, see it laid out with Keras’s counts, and export it back', async ({ app }) => {
  await app.getByTestId('open-file').setInputFiles({ name: 'image_and_text.json', mimeType: 'application/json', buffer: functional });
  await expect(app.getByTestId('notice')).toContainText('Imported image_and_text.json (Keras model, 13 layers)');
  await expect(app.locator('.react-flow__node')).toHaveCount(13);
  await expect(app.locator('.react-flow__edge')).toHaveCount(13);
  await expect(app.locator('.layer-node.has-error')).toHaveCount(0);
  // The same total Keras's model.summary() reports for this model (see the fixture test).
  await expect(app.getByTestId('total-params')).toHaveText('46,138');
  await expect(app.getByTestId('non-trainable-params')).toHaveText('32');

  // The automatic layout keeps layers apart: no two nodes overlap.
  const boxes = await app.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]));
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      const overlap = a[0]! < b[2]! && b[0]! < a[2]! && a[1]! < b[3]! && b[1]! < a[3]!;
      expect(overlap, `nodes ${i} and ${j} overlap`).toBe(false);
    }
  }

  const download = app.waitForEvent('download');
  await app.getByLabel('Export').selectOption('keras-json');
  const file = await download;
  const exported = JSON.parse(readFileSync(await file.path(), 'utf8')) as { class_name: string; config: { layers: { class_name: string }[] } };
  expect(exported.class_name).toBe('Model');
  expect(exported.config.layers.map((l) => l.class_name)).toContain('Bidirectional');
  expect(exported.config.layers).toHaveLength(13);
});
