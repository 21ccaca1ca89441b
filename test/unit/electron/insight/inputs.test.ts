import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { DataAccess, DataAccessError } from '../../../../electron/data/access.js';
import { InputError, type LoadedDataset, type TableEncoder } from '../../../../electron/data/dataset.js';
import { loadImdb } from '../../../../electron/data/imdb.js';
import { readDataset } from '../../../../electron/data/load.js';
import { partsOf } from '../../../../electron/export/run.js';
import { encodePng } from '../../../../electron/files/png.js';
import { centreOfMass, imageFromBatch, toImageBatch } from '../../../../electron/insight/drawing.js';
import { encodePrompt, exampleView, noiseFor, prepareInput, promptWindow } from '../../../../electron/insight/inputs.js';
import { closeSession, sessionOf } from '../../../../electron/insight/open.js';
import type { PreparedInput, Session } from '../../../../electron/insight/session.js';
import { resolveRunConfig } from '../../../../electron/training/run-config.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { RunConfig } from '../../../../shared/api/contract.js';
import { csvSourceSchema, textSourceSchema } from '../../../../shared/data/source.js';
import type { ParamValue } from '../../../../shared/graph/types.js';
import { projectSchema, type Project } from '../../../../shared/project/schema.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../../../fixtures/insight');
const access = new DataAccess();

function template(id: string): Project {
  return projectSchema.parse(JSON.parse(readFileSync(path.resolve(here, '../../../../templates', `${id}.netcanvas.json`), 'utf8')));
}

/** A project's network, untrained (preparing inputs does not read weights), held open with its data. */
function open(project: Project, data: LoadedDataset, config: RunConfig = {}): Session {
  const settings = resolveRunConfig(project, { backend: 'cpu', ...config });
  const graph = settings.task === 'gan' ? partsOf(project, 'gan')[0]!.graph : project.graph;
  return sessionOf({ runId: 'inputs-test', project, settings, model: compileGraph(graph), graph, data, checkpoint: 'last' });
}

function setParam(project: Project, id: string, params: Record<string, ParamValue>): Project {
  const node = project.graph.nodes.find((n) => n.id === id || n.type === id)!;
  node.params = { ...node.params, ...params };
  return project;
}

async function values(prepared: PreparedInput): Promise<number[]> {
  const v = Array.from(await prepared.tensor.data());
  prepared.tensor.dispose();
  return v;
}

const sessions: Session[] = [];
afterAll(() => sessions.forEach(closeSession));
beforeAll(async () => {
  await selectBackend('cpu');
});

describe('pictures for an MNIST network', () => {
  let session: Session;
  beforeAll(async () => {
    session = open(template('mlp-mnist'), await readDataset({ kind: 'builtin', id: 'mnist' }));
    sessions.push(session);
  });

  it('prepares a test digit drawn again ten times larger as MNIST prepared it: nearly the same 28 × 28 picture', async () => {
    const correlations: number[] = [];
    for (let index = 0; index < 20; index++) {
      const original = session.splits.test.features([index]);
      // The digit as a person might draw it: 280 × 280, light on dark.
      const big = new Float32Array(280 * 280);
      for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) big[y * 280 + x] = original[Math.floor(y / 10) * 28 + Math.floor(x / 10)]!;
      const prepared = await prepareInput(session, { kind: 'drawing', image: toImageBatch(big, 1, 280, 280, 1) }, access);
      expect(prepared.tensor.shape).toEqual([1, 28, 28, 1]);
      expect(prepared.seen).toMatchObject({ count: 1, height: 28, width: 28, channels: 1 });
      const again = await values(prepared);
      const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
      const [ma, mb] = [mean(original), mean(again)];
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = 0; i < 784; i++) {
        ab += (original[i]! - ma) * (again[i]! - mb);
        aa += (original[i]! - ma) ** 2;
        bb += (again[i]! - mb) ** 2;
      }
      correlations.push(ab / Math.sqrt(aa * bb));
    }
    expect(Math.min(...correlations)).toBeGreaterThan(0.75);
    expect(correlations.reduce((a, b) => a + b, 0) / correlations.length).toBeGreaterThan(0.9);
  });

  // The digit's ink as MNIST's digits have it: rows and columns it covers, and its centre of mass.
  const inkOf = (v: Float32Array) => {
    const rows = new Set<number>();
    const columns = new Set<number>();
    v.forEach((value, i) => {
      if (value <= 0.5) return;
      rows.add(Math.floor(i / 28));
      columns.add(i % 28);
    });
    return { height: rows.size, width: columns.size, centre: centreOfMass(v, 28, 28)! };
  };

  it('makes a colour picture of a digit written dark on white into a light digit on dark, scaled and centred as MNIST was', async () => {
    // White paper, a dark bar 28 high and 14 wide in its top left corner.
    const pixels = new Float32Array(56 * 56 * 3).fill(1);
    for (let y = 0; y < 28; y++) for (let x = 0; x < 14; x++) pixels.fill(0, (y * 56 + x) * 3, (y * 56 + x + 1) * 3);
    const v = await values(await prepareInput(session, { kind: 'image', image: toImageBatch(pixels, 1, 56, 56, 3) }, access));
    const ink = inkOf(Float32Array.from(v));
    expect(ink).toMatchObject({ height: 20, width: 10 });
    expect(Math.abs(ink.centre.y - 14.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(ink.centre.x - 14.5)).toBeLessThanOrEqual(0.5);
    expect(v[0]).toBe(0);
  });

  it('reads an image file through the gate, and names a file that is missing, not an image, empty, or not allowed', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-inputs-'));
    try {
      // A light bar on dark at the left: already as MNIST's digits are, so only scaled and centred.
      const png = path.join(dir, 'digit.png');
      const bytes = Uint8Array.from({ length: 28 * 28 }, (_, i) => (i % 28 < 10 ? 255 : 0));
      await writeFile(png, encodePng(bytes, 28, 28, 1));
      const v = Float32Array.from(await values(await prepareInput(session, { kind: 'image-file', path: png }, access)));
      expect(inkOf(v)).toMatchObject({ height: 20 });
      expect(Math.abs(inkOf(v).centre.x - 14.5)).toBeLessThanOrEqual(0.5);
      const blank = path.join(dir, 'blank.png');
      await writeFile(blank, encodePng(new Uint8Array(28 * 28).fill(255), 28, 28, 1));
      await expect(prepareInput(session, { kind: 'image-file', path: blank }, access)).rejects.toThrow(new InputError(`${blank}: there is no digit in it, only one even colour`));
      const text = path.join(dir, 'note.png');
      await writeFile(text, 'not a picture');
      await expect(prepareInput(session, { kind: 'image-file', path: text }, access)).rejects.toThrow(new InputError('note.png is not a PNG or JPEG image.'));
      await expect(prepareInput(session, { kind: 'image-file', path: path.join(dir, 'gone.png') }, access)).rejects.toThrow(/gone\.png cannot be read \(ENOENT\)/);
      const closed = new DataAccess({ allowed: [FIXTURES], refusal: 'only the fixtures may be read.' });
      await expect(prepareInput(session, { kind: 'image-file', path: png }, closed)).rejects.toThrow(DataAccessError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives an example with its true class, and shows it as the split holds it', async () => {
    const prepared = await prepareInput(session, { kind: 'example', index: 3 }, access);
    const label = session.splits.test.labels![3]!;
    expect(prepared.truth).toEqual({ label });
    expect(await values(prepared)).toEqual(Array.from(session.splits.test.features([3])));
    const view = exampleView(session, 'test', 3);
    expect(view.truth).toBe(session.data.classes![label]);
    expect(Array.from(imageFromBatch(view.image!, 'example').data)).toEqual(Array.from(session.splits.test.features([3]), (v) => Math.round(v * 255)));
  });

  it('refuses what an image network cannot read, naming the input', async () => {
    await expect(prepareInput(session, { kind: 'row', values: {} }, access)).rejects.toThrow('row: this network reads images, not table rows');
    await expect(prepareInput(session, { kind: 'text', text: 'seven' }, access)).rejects.toThrow('text: this network reads images, not text');
    await expect(prepareInput(session, { kind: 'noise', seed: 1 }, access)).rejects.toThrow(InputError);
    await expect(prepareInput(session, { kind: 'example', index: 10_000 }, access)).rejects.toThrow('example 10000: the test split has 10000 examples, numbered from 0');
    const empty = toImageBatch(new Float32Array(100), 1, 10, 10, 1);
    await expect(prepareInput(session, { kind: 'drawing', image: empty }, access)).rejects.toThrow(/drawing: nothing is drawn/);
    await expect(prepareInput(session, { kind: 'drawing', image: { ...empty, count: 2 } }, access)).rejects.toThrow('drawing: one picture is needed, not 2');
  });
});

describe('rows for a table network', () => {
  let penguins: Session;
  let boston: Session;
  beforeAll(async () => {
    const source = csvSourceSchema.parse({
      kind: 'csv',
      path: path.join(FIXTURES, 'inputs-penguins.csv'),
      target: 'species',
      features: ['island', 'bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'],
      missing: 'mean',
    });
    const project = setParam(template('mlp-iris'), 'Input', { shape: [7] });
    project.training.dataset = source;
    penguins = open(project, await readDataset(source), { validation: { kind: 'split', fraction: 0.25 } });
    boston = open(template('mlp-boston-housing'), await readDataset({ kind: 'builtin', id: 'boston-housing' }), { validation: { kind: 'split', fraction: 0.2 } });
    sessions.push(penguins, boston);
  });

  it('encodes a typed row as the loader encoded the file, and names a wrong cell', async () => {
    const encoder = penguins.data.encoder as TableEncoder;
    const cells = encoder.cells('test', 2);
    const prepared = await prepareInput(penguins, { kind: 'row', values: cells }, access);
    expect(prepared.tensor.shape).toEqual([1, 7]);
    expect(await values(prepared)).toEqual(Array.from(penguins.data.test.features([2])));
    await expect(prepareInput(penguins, { kind: 'row', values: { ...cells, island: 'Atlantis' } }, access)).rejects.toThrow("island: 'Atlantis' is not one of Biscoe, Dream, Torgersen");
    await expect(prepareInput(penguins, { kind: 'drawing', image: toImageBatch(new Float32Array(4), 1, 2, 2, 1) }, access)).rejects.toThrow('drawing: this network reads table rows, not images');
  });

  it("shows a validation example's cells in the form's order from the training rows it was held back from", () => {
    expect(penguins.validationOf).toBe('train');
    for (let i = 0; i < penguins.splits.validation.count; i++) {
      const view = exampleView(penguins, 'validation', i);
      const row = Object.fromEntries(penguins.info.fields.map((f, k) => [f.name, view.cells![k]!]));
      const encoded = (penguins.data.encoder as TableEncoder).encodeRow(row);
      expect(Array.from(encoded)).toEqual(Array.from(penguins.splits.validation.features([i])));
      expect(view.truth).toBe(penguins.data.classes![penguins.splits.validation.labels![i]!]);
    }
  });

  it("gives a regression example's truth in the target's own units", async () => {
    const encoder = boston.data.encoder as TableEncoder;
    for (const index of [0, 7, 30]) {
      const prepared = await prepareInput(boston, { kind: 'example', split: 'validation', index }, access);
      const medv = Number(encoder.cells('train', boston.rows.validation[index]!).medv);
      expect(prepared.truth!.values![0]).toBeCloseTo(medv, 3);
      expect(Number(exampleView(boston, 'validation', index).truth)).toBeCloseTo(medv, 3);
      prepared.tensor.dispose();
    }
  });
});

describe('text for a sentiment network', () => {
  let session: Session;
  beforeAll(async () => {
    const data = await loadImdb({ vocabulary: 14, length: 8, train: 10, test: 4 }, path.join(FIXTURES, 'inputs-reviews.json'));
    const project = setParam(setParam(template('embedding-imdb'), 'Input', { shape: [8] }), 'Embedding', { inputDim: 14 });
    session = open(project, data);
    sessions.push(session);
  });

  it('reads a review through the dataset\'s tokenizer and vocabulary, padded at the end', async () => {
    const prepared = await prepareInput(session, { kind: 'text', text: 'A GREAT<br />zebra' }, access);
    expect(prepared.tokens).toEqual(['a', 'great', '<unk>', '', '', '', '', '']);
    const ids = await values(prepared);
    expect(ids.slice(2)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(ids.slice(0, 2).every((id) => id > 1)).toBe(true);
  });

  it('gives an example with its tokens and its words to show', async () => {
    const prepared = await prepareInput(session, { kind: 'example', index: 0 }, access);
    const ids = Array.from(session.splits.test.features([0]));
    expect(prepared.tokens!.filter((t) => t !== '').length).toBe(ids.filter((id) => id !== 0).length);
    const view = exampleView(session, 'test', 0);
    expect(view.text).toBe(prepared.tokens!.filter((t) => t !== '').join(' '));
    expect(['negative', 'positive']).toContain(view.truth);
    prepared.tensor.dispose();
  });
});

describe('prompts for a language model', () => {
  let ids: Session;
  let oneHot: Session;
  beforeAll(async () => {
    const data = await readDataset({ kind: 'builtin', id: 'moby-dick' });
    ids = open(template('char-lstm-moby-dick'), data);
    const project = template('char-lstm-moby-dick');
    project.graph.nodes = project.graph.nodes.filter((n) => n.id !== 'embed');
    project.graph.edges = [
      { id: 'e1', source: 'chars', target: 'lstm' },
      { id: 'e3', source: 'lstm', target: 'next' },
    ];
    setParam(project, 'chars', { shape: [40, 39] });
    setParam(project, 'lstm', { units: 8 });
    oneHot = open(project, data);
    sessions.push(ids, oneHot);
  });

  it('reads a prompt as the corpus was read: lower-cased characters, the window filled on the left with line breaks', async () => {
    const prepared = await prepareInput(ids, { kind: 'text', text: 'Call me Ishmael—' }, access);
    expect(prepared.tensor.shape).toEqual([1, 40]);
    const corpus = ids.data.corpus!;
    const window = await values(prepared);
    expect(window.map((id) => corpus.tokens[id]).join('')).toBe(`${'\n'.repeat(24)}call me ishmael-`);
    expect(prepared.tokens).toEqual([...new Array(24).fill(''), ...'call me ishmael-']);
    const long = 'x'.repeat(50) + 'the whale';
    const last = await values(await prepareInput(ids, { kind: 'text', text: long }, access));
    expect(last.map((id) => corpus.tokens[id]).join('')).toBe(long.slice(-40));
  });

  it('one-hot encodes the window when the Input has a feature axis', async () => {
    const prepared = await prepareInput(oneHot, { kind: 'text', text: 'ahab' }, access);
    expect(prepared.tensor.shape).toEqual([1, 40, 39]);
    const rows = (await prepared.tensor.array()) as number[][][];
    prepared.tensor.dispose();
    const corpus = oneHot.data.corpus!;
    expect(rows[0]!.map((row) => corpus.tokens[row.indexOf(1)]).join('')).toBe(`${'\n'.repeat(36)}ahab`);
    expect(rows[0]!.every((row) => row.reduce((a, b) => a + b, 0) === 1)).toBe(true);
  });

  it('gives an example window with its characters, and shows its text', async () => {
    const prepared = await prepareInput(ids, { kind: 'example', index: 5 }, access);
    const text = exampleView(ids, 'test', 5).text!;
    expect(prepared.tokens!.join('')).toBe(text);
    expect(text.length).toBe(40);
    prepared.tensor.dispose();
  });

  it('reads a word corpus prompt with punctuation as tokens and unknown words as <unk>', async () => {
    const data = await readDataset(textSourceSchema.parse({ kind: 'text', path: path.join(FIXTURES, 'inputs-story.txt'), level: 'word', length: 6, vocabulary: 30 }));
    const corpus = data.corpus!;
    const { ids: prompt, tokens } = encodePrompt(corpus, 'The CAT sat, zebra!');
    // The story has no zebra and no exclamation mark.
    expect(tokens).toEqual(['the', 'cat', 'sat', ',', '<unk>', '<unk>']);
    const { window, filled } = promptWindow(corpus, prompt.slice(0, 2), 6);
    expect(filled).toBe(4);
    expect(window.map((id) => corpus.tokens[id])).toEqual(['.', '.', '.', '.', 'the', 'cat']);
  });
});

describe('noise for a GAN', () => {
  let session: Session;
  beforeAll(async () => {
    session = open(template('dcgan-mnist'), await readDataset({ kind: 'builtin', id: 'mnist' }));
    sessions.push(session);
  });

  it('draws the same standard normal noise for the same seed, and other noise for another', async () => {
    const a = await prepareInput(session, { kind: 'noise', seed: 7 }, access);
    expect(a.tensor.shape).toEqual([1, 64]);
    const first = await values(a);
    expect(first).toEqual(Array.from(noiseFor(7, 64)));
    expect(await values(await prepareInput(session, { kind: 'noise', seed: 8 }, access))).not.toEqual(first);
    const many = noiseFor(3, 20_000);
    const mean = many.reduce((s, v) => s + v, 0) / many.length;
    const variance = many.reduce((s, v) => s + (v - mean) ** 2, 0) / many.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it("refuses a drawing or an example for the generator, which reads noise", async () => {
    await expect(prepareInput(session, { kind: 'example', index: 0 }, access)).rejects.toThrow("example: a GAN's generator takes noise, not examples; give a seed");
    await expect(prepareInput(session, { kind: 'drawing', image: toImageBatch(new Float32Array(4), 1, 2, 2, 1) }, access)).rejects.toThrow('drawing: this network reads noise (give a seed), not images');
  });
});
