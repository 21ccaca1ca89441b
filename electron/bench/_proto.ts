import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { selectBackend } from '../../electron/training/tf-backend.js';
import { compileGraph } from '../../electron/compiler/compile.js';
import { parseProjectText } from '../../shared/project/parse.js';
import { HANDWRITTEN } from '../../electron/bench/handwritten.js';

const backend = process.argv[2] as 'wasm' | 'cpu';
await selectBackend(backend);
for (const id of ['mlp-mnist', 'autoencoder-mnist', 'cnn-mnist']) {
  const p = parseProjectText(readFileSync(`templates/${id}.netcanvas.json`, 'utf8'));
  if (!p.ok) throw new Error();
  const bs = p.project.training.batchSize;
  for (const [label, make] of [['compiled', () => compileGraph(p.project.graph)], ['hand', HANDWRITTEN[id]!]] as const) {
    const m = make();
    m.compile({ optimizer: tf.train.adam(0.002), loss: p.project.training.loss });
    const x = tf.randomUniform([bs, 28, 28, 1]);
    const y = p.project.training.task === 'autoencode' ? x : tf.oneHot(tf.randomUniform([bs], 0, 10, 'int32'), 10);
    try {
      for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y);
      const n = id === 'cnn-mnist' ? 5 : 50;
      const t = performance.now();
      for (let i = 0; i < n; i++) await m.trainOnBatch(x, y);
      const ms = (performance.now() - t) / n;
      console.log(backend, id, label, m.countParams(), `${ms.toFixed(2)} ms/batch`, `${(bs / ms * 1000).toFixed(0)} samples/s`);
    } catch (e) { console.log(backend, id, label, 'ERR', (e as Error).message.slice(0, 100)); }
  }
}
