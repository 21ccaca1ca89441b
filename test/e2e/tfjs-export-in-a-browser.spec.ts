import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { TFJS_WRITER } from '../../electron/export/tfjs/index.js';
import { writeFolderFiles } from '../../electron/files/export-folder.js';
import { selectBackend } from '../../electron/training/tf-backend.js';
import { compiledWithRandomWeights, maxDifference, predict, randomInputs, templates } from '../unit/electron/export/harness.js';

/**
 * A transformer exported as TensorFlow.js, served over HTTP as a user would serve it, loaded in
 * Chromium by a page that imports tfjs's ES module (through an import map) and the exported
 * netcanvas-layers.js: it predicts what NetCanvas predicted.
 */

const TFJS_MODULE = path.resolve('node_modules/@tensorflow/tfjs/dist/tf.fesm.js');

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "@tensorflow/tfjs": "/tfjs/tf.fesm.js" } }</script>
<script type="module">
  import * as tf from '@tensorflow/tfjs';
  import '/model/netcanvas-layers.js';
  // The CPU backend, so the page computes in float32 exactly as tfjs does in Node.
  await tf.setBackend('cpu');
  try {
    const model = await tf.loadLayersModel('/model/model.json');
    window.predictWith = (inputs) => tf.tidy(() => {
      const xs = inputs.map((x) => tf.tensor(x.values, x.shape));
      const out = model.predict(xs.length === 1 ? xs[0] : xs);
      return (Array.isArray(out) ? out : [out]).map((t) => ({ values: Array.from(t.dataSync()), shape: t.shape }));
    });
    document.title = 'loaded';
  } catch (err) {
    document.title = 'failed: ' + err.message;
  }
</script></head><body></body></html>`;

let server: Server;
let folder: string;

test.afterAll(() => {
  server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('a transformer exported to TensorFlow.js loads in a web page and predicts what NetCanvas predicted', async ({ page }) => {
  await selectBackend('cpu');
  const project = templates().find((t) => t.graph.nodes.some((n) => n.type === 'TokenAndPositionEmbedding' || n.type === 'TransformerEncoderBlock'))!;
  const { model, exported } = await compiledWithRandomWeights(project.graph, 11, project);
  const batch = randomInputs(project.graph, 2, 5);
  const expected = predict(model, batch);
  model.dispose();
  const files = await TFJS_WRITER.files(exported);
  expect(files.map((f) => f.path)).toContain('netcanvas-layers.js');
  folder = mkdtempSync(path.join(tmpdir(), 'netcanvas-tfjs-page-'));
  await writeFolderFiles(folder, files);

  const requested: string[] = [];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requested.push(url.pathname);
    const send = (body: string | Buffer, type: string) => res.writeHead(200, { 'content-type': type }).end(body);
    if (url.pathname === '/') return send(PAGE, 'text/html');
    if (url.pathname === '/tfjs/tf.fesm.js') return void readFile(TFJS_MODULE).then((b) => send(b, 'text/javascript'));
    const name = url.pathname.startsWith('/model/') ? path.basename(url.pathname) : null;
    if (name && files.some((f) => f.path === name)) {
      const type = name.endsWith('.js') ? 'text/javascript' : name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      return void readFile(path.join(folder, name)).then((b) => send(b, type));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`http://127.0.0.1:${port}/`);
  await expect(page).toHaveTitle(/^(loaded|failed: .*)$/, { timeout: 60_000 });
  expect(await page.title()).toBe('loaded');
  expect(errors).toEqual([]);
  // tfjs's own HTTP loader fetched model.json and every shard it lists, from the folder as exported.
  const shards = files.filter((f) => f.path.endsWith('.bin')).map((f) => `/model/${f.path}`);
  expect(shards.length).toBeGreaterThan(0);
  expect(requested).toEqual(expect.arrayContaining(['/model/model.json', '/model/netcanvas-layers.js', ...shards]));

  const inputs = batch.values.map((v, i) => ({ values: Array.from(v), shape: batch.shapes[i]! }));
  const got = await page.evaluate((xs) => (globalThis as unknown as { predictWith: (x: unknown) => { values: number[]; shape: number[] }[] }).predictWith(xs), inputs);
  expect(got.map((o) => o.shape)).toEqual(expected.map((o) => o.shape));
  expected.forEach((o, i) => expect(maxDifference(got[i]!.values, o.values), `output ${i + 1}`).toBeLessThanOrEqual(1e-5));
});
