import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledWithRandomWeights, maxDifference, predict, randomInputs, templates, type SampleBatch } from './harness.js';
import { TFJS_WRITER } from '../../../../electron/export/tfjs/index.js';
import { SHARD_BYTES } from '../../../../electron/export/tfjs/model-json.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import { inferGraph } from '../../../../shared/graph/infer.js';
import { formatShape, type Graph } from '../../../../shared/graph/types.js';
import { layerTypes } from '../../../../shared/layers/registry.js';
import { ALL_SAMPLERS } from '../../../fixtures/layers/index.js';
import { sampleGraph } from '../../../fixtures/layers/sample-graph.js';
import { createRng, type LayerSample } from '../../../fixtures/layers/types.js';
import { node } from '../../../fixtures/graphs.js';

/**
 * Every template and seeded samples of every registry layer type, exported with random weights,
 * loaded back by tfjs in a Node process of its own that imports only @tensorflow/tfjs and the
 * exported netcanvas-layers.js, through tfjs's own HTTP loader (model.json, then its shards).
 */

const SAMPLES = Number(process.env.NETCANVAS_LAYER_SAMPLES ?? 4);
const SEED = 20_260_311;
const TOLERANCE = 1e-5;
const ROOT = path.resolve(import.meta.dirname, '../../../..');

interface Case {
  name: string;
  graph: Graph;
  batch: SampleBatch;
}

interface Exported {
  dir: string;
  files: string[];
  expected: { values: number[]; shape: number[] }[];
  module: string | null;
}

interface Loaded {
  outputs?: { values: number[]; shape: number[] }[];
  error?: string;
}

function seedFor(text: string): number {
  let h = SEED;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

function sampleBatch(sample: LayerSample, batch: number, seed: number): SampleBatch {
  const rng = createRng(seed);
  return {
    shapes: sample.inputs.map((input) => [batch, ...input.shape]),
    values: sample.inputs.map((input) =>
      Float32Array.from({ length: batch * input.shape.reduce((a, b) => a * b, 1) }, () => (input.maxInt === undefined ? rng.float(-2, 2) : rng.int(0, input.maxInt - 1))),
    ),
  };
}

const withInputs = (name: string, graph: Graph): Case => ({ name, graph, batch: randomInputs(graph, 2, seedFor(name)) });

const TYPES = layerTypes().filter((t) => t !== 'Input');
const TEMPLATES = templates();
const TRANSFORMER = TEMPLATES.find((t) => t.graph.nodes.some((n) => n.type === 'TokenAndPositionEmbedding'))!;

const layerCases = new Map<string, Case[]>(
  TYPES.map((type) => {
    const sampler = ALL_SAMPLERS.find((s) => s.type === type);
    const rng = createRng(seedFor(type));
    return [
      type,
      Array.from({ length: sampler ? SAMPLES : 0 }, (_, k) => {
        const sample = sampler!.generate(rng);
        return { name: `${type} #${k + 1} ${JSON.stringify(sample.params)} on ${JSON.stringify(sample.inputs)}`, graph: sampleGraph(type, sample), batch: sampleBatch(sample, 2, seedFor(type) + k) };
      }),
    ];
  }),
);

const templateCases: Case[] = TEMPLATES.map((t) => withInputs(`template ${t.name}`, t.graph));

/** Settings that tfjs saves in a way its own loader cannot read back, or that need netcanvas-layers.js. */
const awkwardCases: Case[] = [
  withInputs('Reshape with -1 in its last place, before a Dense', {
    nodes: [node('in', 'Input', { shape: [2, 6] }), node('reshape', 'Reshape', { targetShape: [3, -1] }), node('dense', 'Dense', { units: 2 })],
    edges: [
      { id: 'a', source: 'in', target: 'reshape' },
      { id: 'b', source: 'reshape', target: 'dense' },
    ],
  }),
  withInputs('LayerNormalization with center off', {
    nodes: [node('in', 'Input', { shape: [3, 5] }), node('norm', 'LayerNormalization', { axis: [-1], center: false, scale: true })],
    edges: [{ id: 'a', source: 'in', target: 'norm' }],
  }),
];

/** Big enough for two shards: 1100 × 1000 + 1000 float32 numbers, 4.4 MB. */
const bigCase = withInputs('Dense with 4.4 MB of weights', {
  nodes: [node('in', 'Input', { shape: [1100] }), node('big', 'Dense', { units: 1000 })],
  edges: [{ id: 'a', source: 'in', target: 'big' }],
});

const ALL: Case[] = [...templateCases, ...[...layerCases.values()].flat(), ...awkwardCases, bigCase];

let work: string;
const exported = new Map<string, Exported>();
const loaded = new Map<string, Loaded>();

/** What the child process runs: nothing but tfjs, the exported module (if any), and the files. */
const LOADER = `
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const job = JSON.parse(await readFile(process.argv[2], 'utf8'));
if (job.generator) {
  const { layersModule } = await import(pathToFileURL(job.generator).href);
  await writeFile(job.module, await layersModule({ partialLayerNormalization: false }));
}
if (job.module) await import(pathToFileURL(job.module).href);
// tfjs's HTTP loader, with the files read from disk for fetch.
const fetchFunc = async (url) => new Response(await readFile(decodeURIComponent(new URL(url).pathname)));
const results = [];
for (const c of job.cases) {
  try {
    const model = await tf.loadLayersModel('http://localhost' + pathToFileURL(path.join(c.dir, 'model.json')).pathname, { fetchFunc });
    const outputs = tf.tidy(() => {
      const inputs = c.inputs.map((x) => tf.tensor(x.values, x.shape));
      const out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
      return (Array.isArray(out) ? out : [out]).map((t) => ({ values: Array.from(t.dataSync()), shape: t.shape }));
    });
    model.dispose();
    results.push({ outputs });
  } catch (err) {
    results.push({ error: String(err && err.message || err) });
  }
}
await writeFile(job.out, JSON.stringify(results));
`;

interface Job {
  name: string;
  module: string | null;
  generator?: string;
  cases: { key: string; dir: string; batch: SampleBatch }[];
}

async function runLoader(job: Job): Promise<Loaded[]> {
  const jobFile = path.join(work, `${job.name}.job.json`);
  const out = path.join(work, `${job.name}.out.json`);
  const cases = job.cases.map((c) => ({ dir: c.dir, inputs: c.batch.values.map((v, i) => ({ values: Array.from(v), shape: c.batch.shapes[i] })) }));
  writeFileSync(jobFile, JSON.stringify({ module: job.module, generator: job.generator, cases, out }));
  await promisify(execFile)(process.execPath, [path.join(work, 'load.mjs'), jobFile], { cwd: work, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(readFileSync(out, 'utf8')) as Loaded[];
}

beforeAll(async () => {
  await selectBackend('cpu');
  work = mkdtempSync(path.join(tmpdir(), 'netcanvas-tfjs-export-'));
  // The loader and the exported module resolve @tensorflow/tfjs as an installed package.
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  writeFileSync(path.join(work, 'load.mjs'), LOADER);
  for (const [i, c] of ALL.entries()) {
    const { model, exported: toExport } = await compiledWithRandomWeights(c.graph, seedFor(c.name));
    try {
      const expected = predict(model, c.batch).map((o) => ({ values: Array.from(o.values), shape: o.shape }));
      const dir = path.join(work, `case${i}`);
      const files = await TFJS_WRITER.files(toExport);
      mkdirSync(dir);
      for (const file of files) writeFileSync(path.join(dir, file.path), file.data);
      const module = files.find((f) => f.path === 'netcanvas-layers.js');
      exported.set(c.name, { dir, files: files.map((f) => f.path), expected, module: module ? String(module.data) : null });
    } finally {
      model.dispose();
    }
  }
  // One process per netcanvas-layers.js text, importing it from the first folder that has it;
  // the others' copies are the same text.
  const groups = new Map<string | null, Case[]>();
  for (const c of ALL) groups.set(exported.get(c.name)!.module, [...(groups.get(exported.get(c.name)!.module) ?? []), c]);
  const withoutModule = { key: 'transformer without its module', dir: path.join(work, 'no-module'), batch: templateCases.find((c) => c.name === `template ${TRANSFORMER.name}`)!.batch };
  cpSync(exported.get(`template ${TRANSFORMER.name}`)!.dir, withoutModule.dir, { recursive: true });
  rmSync(path.join(withoutModule.dir, 'netcanvas-layers.js'));
  await Promise.all(
    [...groups.entries()].map(async ([module, cases], g) => {
      const jobCases = cases.map((c) => ({ key: c.name, dir: exported.get(c.name)!.dir, batch: c.batch }));
      if (module === null) jobCases.push(withoutModule);
      const results = await runLoader({ name: `group${g}`, module: module === null ? null : path.join(jobCases[0]!.dir, 'netcanvas-layers.js'), cases: jobCases });
      jobCases.forEach((c, i) => loaded.set(c.key, results[i]!));
    }),
  );
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  tf.disposeVariables();
});

function expectSamePredictions(c: Case): void {
  const result = loaded.get(c.name);
  expect(result?.error, c.name).toBeUndefined();
  const expected = exported.get(c.name)!.expected;
  expect(result!.outputs!.map((o) => o.shape), c.name).toEqual(expected.map((o) => o.shape));
  expected.forEach((o, i) => expect(maxDifference(result!.outputs![i]!.values, o.values), `${c.name}, output ${i + 1}`).toBeLessThanOrEqual(TOLERANCE));
}

describe('a TensorFlow.js export loads back in tfjs and predicts what NetCanvas predicted', () => {
  it.each(templateCases.map((c) => [c.name, c] as const))('%s', (_name, c) => expectSamePredictions(c));

  describe.each(TYPES)('%s', (type) => {
    it('has seeded samples, each exported, loaded and predicting the same', () => {
      const cases = layerCases.get(type)!;
      expect(cases.length, `test/fixtures/layers has no sampler for ${type}`).toBeGreaterThan(0);
      for (const c of cases) expectSamePredictions(c);
    });
  });

  it.each(awkwardCases.map((c) => [c.name, c] as const))('%s', (_name, c) => expectSamePredictions(c));
});

describe('the export folder', () => {
  it('splits weights above 4 MB into shards named as tfjs\'s converter names them, which tfjs joins again', () => {
    const { dir, files } = exported.get(bigCase.name)!;
    const manifest = (JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[] }).weightsManifest;
    expect(manifest).toHaveLength(1);
    expect(manifest[0]!.paths).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    expect(manifest[0]!.weights).toEqual([
      { name: 'big/kernel', shape: [1100, 1000], dtype: 'float32' },
      { name: 'big/bias', shape: [1000], dtype: 'float32' },
    ]);
    expect(files.filter((f) => f.endsWith('.bin'))).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    expect(statSync(path.join(dir, 'group1-shard1of2.bin')).size).toBe(SHARD_BYTES);
    expect(statSync(path.join(dir, 'group1-shard2of2.bin')).size).toBe((1100 * 1000 + 1000) * 4 - SHARD_BYTES);
    // The kernel runs across the boundary between the shards, so equal predictions mean tfjs joined them in order.
    expectSamePredictions(bigCase);
  });

  it('holds netcanvas-layers.js only where the model needs a NetCanvas class, and tfjs alone cannot load such a model', () => {
    const transformer = exported.get(`template ${TRANSFORMER.name}`)!;
    expect(transformer.files).toContain('netcanvas-layers.js');
    expect(transformer.module).toMatch(/registerClass\(TransformerEncoder\)/);
    const plain = exported.get(templateCases.find((c) => !c.graph.nodes.some((n) => ['TokenAndPositionEmbedding', 'PositionalEmbedding', 'MultiHeadAttention', 'TransformerEncoderBlock', 'Subtract'].includes(n.type)))!.name)!;
    expect(plain.files).toEqual(expect.arrayContaining(['model.json', 'README.md']));
    expect(plain.files).not.toContain('netcanvas-layers.js');
    expect(loaded.get('transformer without its module')?.error).toMatch(/Unknown layer: (TokenAndPositionEmbedding|PositionEmbedding|TransformerEncoder|MultiHeadAttention)/);
  });

  it('registers NetCanvas\'s LayerNormalization in place of tfjs\'s only for a model that has one with center or scale off', () => {
    const partial = exported.get(awkwardCases[1]!.name)!;
    expect(partial.module).toMatch(/^registerPartialLayerNormalization\(\);$/m);
    expect(exported.get(`template ${TRANSFORMER.name}`)!.module).not.toMatch(/^registerPartialLayerNormalization\(\);$/m);
  });

  it('says in its README how to load it, with its inputs and outputs, the module it needs and where the weights came from', async () => {
    const { model, exported: toExport } = await compiledWithRandomWeights(TRANSFORMER.graph, 3);
    try {
      const readme = (run: string | null) =>
        TFJS_WRITER.files({ ...toExport, runId: run }).then((files) => String(files.find((f) => f.path === 'README.md')!.data));
      const trained = await readme('20260311-120000-abcd');
      const inference = inferGraph(TRANSFORMER.graph);
      for (const id of [...inference.inputIds, ...inference.outputIds]) {
        expect(trained).toContain(`\`${toExport.layerNames.get(id)}\`: ${formatShape(inference.nodes[id]!.outputShape!)}`);
      }
      expect(trained).toContain("import './netcanvas-layers.js';");
      expect(trained).toContain('TransformerEncoder');
      expect(trained).toContain("tf.loadLayersModel('model.json')");
      expect(trained).toContain('Trained in NetCanvas run `20260311-120000-abcd`');
      expect(await readme(null)).toContain('Not trained');
    } finally {
      model.dispose();
    }
  });

  it("loads in Node as its README's plain-tfjs code says", async () => {
    const key = `template ${TRANSFORMER.name}`;
    const { dir, expected } = exported.get(key)!;
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    const code = /With plain `@tensorflow\/tfjs`[^\n]*\n\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code, 'the README has the Node code').toBeDefined();
    const batch = templateCases.find((c) => c.name === key)!.batch;
    const script = `${code}
const x = tf.tensor(${JSON.stringify(Array.from(batch.values[0]!))}, ${JSON.stringify(batch.shapes[0])});
process.stdout.write(JSON.stringify(Array.from(model.predict(x).dataSync())));
`;
    writeFileSync(path.join(dir, 'readme-example.mjs'), script);
    const { stdout } = await promisify(execFile)(process.execPath, ['readme-example.mjs'], { cwd: dir, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    expect(maxDifference(JSON.parse(stdout) as number[], expected[0]!.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('builds netcanvas-layers.js from the compiled JavaScript too, as the app runs from dist/', async () => {
    // The sources as tsc turns them into dist/: one .js file per .ts file, imports kept.
    const dist = path.join(work, 'dist');
    const sources = (dir: string): string[] =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(ROOT, dir, e.name)] : []));
    await build({ entryPoints: [...sources('shared'), ...sources('electron/compiler'), ...sources('electron/export')], outdir: dist, outbase: ROOT, format: 'esm', platform: 'node', logLevel: 'silent' });
    const folder = path.join(work, 'from-dist');
    mkdirSync(folder);
    cpSync(exported.get(`template ${TRANSFORMER.name}`)!.dir, folder, { recursive: true });
    rmSync(path.join(folder, 'netcanvas-layers.js'));
    const key = `template ${TRANSFORMER.name}`;
    const [result] = await runLoader({
      name: 'dist',
      generator: path.join(dist, 'electron/export/tfjs/layers-module.js'),
      module: path.join(folder, 'netcanvas-layers.js'),
      cases: [{ key, dir: folder, batch: templateCases.find((c) => c.name === key)!.batch }],
    });
    expect(result!.error).toBeUndefined();
    const module = readFileSync(path.join(folder, 'netcanvas-layers.js'), 'utf8');
    expect(module).toContain('// electron/compiler/custom/transformer-encoder.js');
    exported.get(key)!.expected.forEach((o, i) => expect(maxDifference(result!.outputs![i]!.values, o.values)).toBeLessThanOrEqual(TOLERANCE));
  });

  it('reads the module that the build bundled beside the compiled exporter, for the packaged app that has no esbuild', async () => {
    const dist = path.join(work, 'dist');
    expect(existsSync(path.join(dist, 'electron/export/tfjs/layers-module.js')), 'the test above compiled dist/').toBe(true);
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts/layers-module.js'), dist], { cwd: ROOT, timeout: 60_000 });
    const prebuilt = path.join(dist, 'electron/export/tfjs/netcanvas-layers.js');
    // Marked, so the text handed back can only have come from this file.
    writeFileSync(prebuilt, `${readFileSync(prebuilt, 'utf8')}\n// prebuilt\n`);
    const script = `const { layersModule } = await import(${JSON.stringify(pathToFileURL(path.join(dist, 'electron/export/tfjs/layers-module.js')).href)});
process.stdout.write(await layersModule({ partialLayerNormalization: false }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout.endsWith('// prebuilt\n')).toBe(true);
    expect(stdout).toContain('registerClass');
  });
});
