import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../../electron/insight/generate.js';
import { prepareInput } from '../../../../electron/insight/inputs.js';
import { predict } from '../../../../electron/insight/predict.js';
import { InputError, type Session } from '../../../../electron/insight/session.js';
import { DataAccess } from '../../../../electron/data/access.js';
import { loadTextFiles } from '../../../../electron/data/text-files.js';
import { textSourceSchema } from '../../../../shared/data/source.js';
import type { ImageBatch } from '../../../../shared/api/images.js';
import { chain, node, project } from '../../../fixtures/graphs.js';
import { closeSession, trainedSession } from './trained.js';

const access = new DataAccess();
const bytes = (b64: string) => Uint8Array.from(Buffer.from(b64, 'base64'));

/** Image `i` of a batch, as bytes. */
function imageAt(batch: ImageBatch, i: number): Uint8Array {
  const size = batch.height * batch.width * batch.channels;
  return bytes(batch.pixels).subarray(i * size, (i + 1) * size);
}

/** The largest difference between two pictures, in 8-bit steps. */
const furthest = (a: Uint8Array, b: Uint8Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** A text whose next character always follows from the few before it, so a small network learns it in seconds. */
const PATTERN = 'the cat sat on the mat. ';
const WINDOW = 8;

describe('generate: a character language model (an LSTM on a text of its own, trained briefly)', () => {
  let session: Session;
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'netcanvas-generate-'));
    const file = path.join(dir, 'cats.txt');
    await writeFile(file, PATTERN.repeat(200));
    const source = textSourceSchema.parse({ kind: 'text', path: file, level: 'char', length: WINDOW });
    const vocabulary = (await loadTextFiles(source)).vocabulary!;
    const graph = chain(
      node('in', 'Input', { shape: [WINDOW] }),
      node('embed', 'Embedding', { inputDim: vocabulary, outputDim: 16 }),
      node('lstm', 'LSTM', { units: 32 }),
      node('out', 'Dense', { units: vocabulary, activation: 'softmax' }),
    );
    const p = project(graph, 32);
    p.training = { ...p.training, dataset: source, task: 'language-model', loss: 'sparseCategoricalCrossentropy', learningRate: 0.03 };
    session = await trainedSession(p, { batches: 80, backend: 'wasm' });
  }, 60_000);
  afterAll(async () => {
    closeSession(session);
    await rm(dir, { recursive: true, force: true });
  });

  const text = async (prompt: string, temperature: number, seed: number, length = 24) => {
    const out = await generate(session, { kind: 'text', prompt, temperature, length, seed });
    if (out.kind !== 'text') throw new Error(out.kind);
    expect(out.prompt).toBe(prompt);
    return out.text;
  };
  /** How many characters of `written` are what the text has after `prompt`. */
  const agreeing = (prompt: string, written: string) => {
    const expected = PATTERN.repeat(4).slice(PATTERN.repeat(2).indexOf(prompt, PATTERN.length) + prompt.length);
    return [...written].filter((c, i) => c === expected[i]).length;
  };

  it('continues the prompt as the text it learned goes on, as many characters as asked', async () => {
    const written = await text('the cat ', 0.1, 1);
    expect(written).toHaveLength(24);
    expect(agreeing('the cat ', written)).toBeGreaterThanOrEqual(20);
    const other = await text('n the ma', 0.1, 1);
    expect(agreeing('n the ma', other)).toBeGreaterThanOrEqual(20);
    expect(other).not.toBe(written);
  });

  it('pads a prompt shorter than the window and reads only the last window of a longer one', async () => {
    // The text has no line breaks, so spaces fill the window before a short prompt, as words are spaced.
    const short = await text('sat', 1, 2);
    expect(short).toHaveLength(24);
    expect(await text(`${' '.repeat(WINDOW - 3)}sat`, 1, 2)).toBe(short);
    const long = await text('a long preamble, and then: the cat ', 1, 9);
    expect(await text('something else: the cat ', 1, 9)).toBe(long);
  });

  it('writes the same again for the same seed, and draws wider at a high temperature', async () => {
    const hot = await text('the cat ', 3, 5, 60);
    expect(await text('the cat ', 3, 5, 60)).toBe(hot);
    expect(await text('the cat ', 3, 6, 60)).not.toBe(hot);
    expect(agreeing('the cat ', hot)).toBeLessThan(agreeing('the cat ', await text('the cat ', 0.1, 5, 60)));
  });

  it('predicts the next character of a typed text, likeliest first', async () => {
    const prepared = await prepareInput(session, { kind: 'text', text: 'the ca' }, access);
    const answer = predict(session, prepared);
    prepared.tensor.dispose();
    expect(answer.top!.length).toBeLessThanOrEqual(10);
    for (const t of answer.top!) expect(t.class).toBe(session.data.corpus!.tokens[t.index]);
    expect(answer.top![0]!.class).toBe('t');
  });

  it("refuses a GAN's request, saying what the network does", async () => {
    await expect(generate(session, { kind: 'grid', seed: 1, count: 4 })).rejects.toThrow(InputError);
    await expect(generate(session, { kind: 'grid', seed: 1, count: 4 })).rejects.toThrow(/GAN.*language-model/);
  });
});

describe("generate: a GAN's samples (the DCGAN on MNIST, trained a few batches)", () => {
  let session: Session;
  beforeAll(async () => {
    session = await trainedSession('dcgan-mnist', { batches: 10, backend: 'wasm', config: { batchSize: 16 } });
  }, 60_000);
  afterAll(() => closeSession(session));

  const sampleOf = async (seed: number) => {
    const prepared = await prepareInput(session, { kind: 'noise', seed }, access);
    const answer = predict(session, prepared);
    prepared.tensor.dispose();
    return imageAt(answer.image!, 0);
  };

  it("grids the samples of consecutive seeds, each the Try tab's sample of its seed", async () => {
    const out = await generate(session, { kind: 'grid', seed: 7, count: 4 });
    if (out.kind !== 'images') throw new Error(out.kind);
    expect(out.images).toMatchObject({ count: 4, height: 28, width: 28, channels: 1 });
    for (let i = 0; i < 4; i++) expect(furthest(imageAt(out.images, i), await sampleOf(7 + i))).toBeLessThanOrEqual(1);
    expect(furthest(imageAt(out.images, 0), imageAt(out.images, 1))).toBeGreaterThan(4);
  });

  it("walks from one seed's sample to the other's, through samples unlike either", async () => {
    const out = await generate(session, { kind: 'walk', from: 1, to: 2, steps: 5 });
    if (out.kind !== 'images') throw new Error(out.kind);
    expect(out.images.count).toBe(5);
    const [from, to] = [await sampleOf(1), await sampleOf(2)];
    expect(furthest(imageAt(out.images, 0), from)).toBeLessThanOrEqual(1);
    expect(furthest(imageAt(out.images, 4), to)).toBeLessThanOrEqual(1);
    const middle = imageAt(out.images, 2);
expect(furthest(middle, from)).toBeGreaterThan(2);
    expect(furthest(middle, to)).toBeGreaterThan(2);
  });

  it('refuses to write text, saying what the network does', async () => {
    await expect(generate(session, { kind: 'text', prompt: 'x', temperature: 1, length: 5 })).rejects.toThrow(/language model.*gan/);
  });
});
