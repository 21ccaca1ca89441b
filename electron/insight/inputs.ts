import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { imageFromBatch, fitImage, lightOnDark, mnistDigit, MNIST_FIELD, toImageBatch } from './drawing.js';
import { InputError, type PreparedInput, type Session } from './session.js';
import { DataAccessError, type DataAccess } from '../data/access.js';
import type { Corpus, Split, TableEncoder, TextEncoder as DocumentEncoder } from '../data/dataset.js';
import { decodeImage, type DecodedImage } from '../data/images/decode.js';
import { seededNormal, seededRandom } from '../data/random.js';
import { formatNumber } from '../data/table-encoder.js';
import { decodeCorpus } from '../data/text-files.js';
import { encodeText, TEXT_ALPHABET } from '../data/text.js';
import { encodeWords, PAD_ID, tokenizeWords, vocabularyIndex } from '../data/tokenize.js';
import { languageModelShape } from '../training/jobs/create.js';
import type { ExampleView, InsightInfo, ModelInput } from '../../shared/api/insight.js';

/**
 * A person's input made ready for a run's network, as its dataset's examples were made:
 * pictures resized (a drawing of a digit prepared as MNIST's were), texts through the
 * dataset's tokenizer and vocabulary, table rows through the loader's encoding. Anything the
 * network cannot be given is an `InputError` naming what is wrong.
 */

export { toImageBatch };

type SplitName = 'test' | 'validation';

const INPUT_WORDS: Record<InsightInfo['input'], string> = {
  images: 'images',
  table: 'table rows',
  sequence: 'sequences of numbers',
  text: 'text',
  corpus: 'text',
  noise: 'noise (give a seed)',
};

/** The network's input shape without the batch axis. */
function modelShape(session: Session): number[] {
  return session.model.inputs[0]!.shape.slice(1) as number[];
}

/** Refuses an input of a kind the network does not read: `what` names the input, `kind` what it is. */
function refuse(session: Session, what: string, kind: string): never {
  throw new InputError(`${what}: this network reads ${INPUT_WORDS[session.info.input]}, not ${kind}`);
}

/** A batch of one of `values` in the network's input shape. */
function batchOfOne(session: Session, values: Float32Array): tf.Tensor {
  const shape = modelShape(session);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length) throw new Error(`The network takes ${size} values (${shape.join(' × ')}) but the input holds ${values.length}.`);
  return tf.tensor(values, [1, ...shape]);
}

/** A picture's (height, width, channels) as the dataset's images have them. */
function imageShape(session: Session): [number, number, number] {
  const [height = 1, width = 1, channels = 1] = session.data.inputShape;
  return [height, width, channels];
}

/**
 * A picture as the network's images: fitted to their size, or for MNIST's digits made as they
 * were (a drawing as it is; a picture made light on dark first, as a digit on paper is not).
 */
function pictureInput(session: Session, image: DecodedImage, what: string): PreparedInput {
  const [height, width, channels] = imageShape(session);
  let pixels: Float32Array;
  if (session.info.digits) {
    const digit = what === 'drawing' ? mnistDigit(image) : mnistDigit(lightOnDark(image), what);
    const data = Uint8Array.from(digit, (v) => Math.round(v * 255));
    pixels = height === MNIST_FIELD && width === MNIST_FIELD && channels === 1 ? digit : fitImage({ width: MNIST_FIELD, height: MNIST_FIELD, channels: 1, data }, height, width, channels);
  } else {
    pixels = fitImage(image, height, width, channels);
  }
  return { tensor: batchOfOne(session, pixels), seen: toImageBatch(pixels, 1, height, width, channels) };
}

async function imageFile(session: Session, file: string, access: DataAccess): Promise<PreparedInput> {
  let bytes: Uint8Array;
  try {
    bytes = await access.readFile(file, 'image');
  } catch (err) {
    if (err instanceof DataAccessError) throw err;
    throw new InputError(`${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let image: DecodedImage;
  try {
    image = decodeImage(bytes, path.basename(file));
  } catch (err) {
    throw new InputError((err as Error).message);
  }
  return pictureInput(session, image, file);
}

/** Each corpus's token ids by token, made once. */
const corpusIndex = new WeakMap<Corpus, Map<string, number>>();

function indexOf(corpus: Corpus): Map<string, number> {
  let index = corpusIndex.get(corpus);
  if (!index) corpusIndex.set(corpus, (index = vocabularyIndex(corpus.tokens)));
  return index;
}

/**
 * A prompt as a language model's token ids, as its corpus was read: words (with . , ! ?)
 * through the word tokenizer, '<unk>' for a word outside the vocabulary; or characters, each
 * as it is, else lower-cased and folded as Moby-Dick's text was, else left out.
 */
export function encodePrompt(corpus: Corpus, text: string): { ids: number[]; tokens: string[] } {
  const index = indexOf(corpus);
  let ids: number[];
  if (corpus.joiner === '') {
    ids = [];
    for (const c of text.replace(/\r\n?/g, '\n')) {
      const folded = Array.from(encodeText(c), (i) => TEXT_ALPHABET[i]!);
      const id = [c, c.toLowerCase(), ...folded].map((t) => index.get(t)).find((i) => i !== undefined);
      if (id !== undefined) ids.push(id);
    }
  } else {
    ids = Array.from(encodeWords(tokenizeWords(text, { punctuation: true }), index));
  }
  return { ids, tokens: ids.map((id) => corpus.tokens[id]!) };
}

/**
 * What fills the window before a prompt shorter than it. Training's windows (`textWindows`)
 * are always whole text, never padding, so the filler is text too: the line break that comes
 * before a paragraph (characters) or the full stop before a sentence (words), making a short
 * prompt read like the start of one; else the prompt's first token.
 */
function fillerId(corpus: Corpus, ids: readonly number[]): number {
  const index = indexOf(corpus);
  const marks = corpus.joiner === '' ? ['\n', ' '] : ['.'];
  for (const mark of marks) if (index.has(mark)) return index.get(mark)!;
  return ids[0] ?? 0;
}

/** The last `length` ids of a prompt, preceded by filler when it is shorter; `filled` counts the filler. */
export function promptWindow(corpus: Corpus, ids: readonly number[], length: number): { window: number[]; filled: number } {
  if (ids.length >= length) return { window: ids.slice(ids.length - length), filled: 0 };
  const filled = length - ids.length;
  return { window: [...new Array<number>(filled).fill(fillerId(corpus, ids)), ...ids], filled };
}

/** A language model's input for token ids: the window it reads, as ids or one-hot as its Input takes them. */
function corpusInput(session: Session, ids: readonly number[]): PreparedInput {
  const corpus = session.data.corpus!;
  const shape = languageModelShape(session.inference, corpus.tokens.length);
  const { window, filled } = promptWindow(corpus, ids, shape.length);
  const tensor = tf.tidy(() =>
    shape.oneHotInput ? tf.oneHot(tf.tensor1d(window, 'int32'), shape.vocabulary).toFloat().expandDims(0) : tf.tensor2d([window], [1, shape.length]),
  );
  return { tensor, tokens: window.map((id, i) => (i < filled ? '' : (corpus.tokens[id] ?? ''))) };
}

function textEncoder(session: Session): DocumentEncoder {
  const encoder = session.data.encoder;
  if (encoder?.kind !== 'text') throw new Error(`${session.data.name} has no text encoder.`);
  return encoder;
}

function tableEncoder(session: Session): TableEncoder | null {
  const encoder = session.data.encoder;
  return encoder?.kind === 'table' ? encoder : null;
}

function textInput(session: Session, text: string): PreparedInput {
  if (session.info.input === 'corpus') return corpusInput(session, encodePrompt(session.data.corpus!, text).ids);
  if (session.info.input !== 'text') refuse(session, 'text', 'text');
  const { ids, tokens } = textEncoder(session).encode(text);
  return { tensor: batchOfOne(session, Float32Array.from(ids)), tokens };
}

/** Standard normal noise from a seed: the same seed gives the same vector. */
export function noiseFor(seed: number, latentDim: number): Float32Array {
  return seededNormal(latentDim, seededRandom(seed));
}

function splitOf(session: Session, split: SplitName, index: number): Split {
  const s = session.splits[split];
  if (!Number.isInteger(index) || index < 0 || index >= s.count) {
    throw new InputError(`example ${index}: the ${split === 'test' ? 'test split' : 'validation part'} has ${s.count} example${s.count === 1 ? '' : 's'}, numbered from 0`);
  }
  return s;
}

/** A values target in the target's units: decoded from standardized values when the loader standardized them. */
function targetValues(session: Session, split: Split, index: number): number[] | undefined {
  if (!split.values || session.data.target.kind !== 'values') return undefined;
  const size = session.data.target.size;
  const values = split.values.subarray(index * size, (index + 1) * size);
  return Array.from(tableEncoder(session)?.decodeValues(values) ?? values);
}

function exampleInput(session: Session, split: SplitName, index: number): PreparedInput {
  if (session.info.input === 'noise') throw new InputError("example: a GAN's generator takes noise, not examples; give a seed");
  const s = splitOf(session, split, index);
  const features = s.features([index]);
  const label = s.labels?.[index];
  const values = targetValues(session, s, index);
  const truth = label !== undefined ? { label } : values ? { values } : undefined;
  let prepared: PreparedInput;
  if (session.info.input === 'corpus') {
    prepared = corpusInput(session, Array.from(features));
  } else {
    prepared = { tensor: batchOfOne(session, features) };
    if (session.info.input === 'images') prepared.seen = toImageBatch(features, 1, ...imageShape(session));
    if (session.info.input === 'text') {
      const encoder = textEncoder(session);
      prepared.tokens = Array.from(features, (id) => (id === PAD_ID ? '' : (encoder.decode([id])[0] ?? '')));
    }
  }
  return truth ? { ...prepared, truth } : prepared;
}

/**
 * `input` as a batch of one for the session's network. Truth, for an example, is its class or
 * its values in the target's own units. A file is read through `access`, the one gate; a
 * file refused there is its `DataAccessError`.
 */
export async function prepareInput(session: Session, input: ModelInput, access: DataAccess): Promise<PreparedInput> {
  const { info } = session;
  switch (input.kind) {
    case 'drawing':
    case 'image': {
      if (info.input !== 'images') refuse(session, input.kind, 'images');
      return pictureInput(session, imageFromBatch(input.image, input.kind), input.kind);
    }
    case 'image-file':
      if (info.input !== 'images') refuse(session, input.path, 'images');
      return imageFile(session, input.path, access);
    case 'example':
      return exampleInput(session, input.split ?? 'test', input.index);
    case 'text':
      return textInput(session, input.text);
    case 'row': {
      const encoder = tableEncoder(session);
      if (info.input !== 'table') refuse(session, 'row', 'table rows');
      if (!encoder) throw new InputError(`row: ${session.data.name} has no named columns to type a row into; pick an example of it instead`);
      return { tensor: batchOfOne(session, encoder.encodeRow(input.values)) };
    }
    case 'noise': {
      if (info.input !== 'noise') refuse(session, 'noise', 'noise');
      const size = modelShape(session).reduce((a, b) => a * b, 1);
      return { tensor: batchOfOne(session, noiseFor(input.seed, size)) };
    }
  }
}

/** A class or the values of a split's example, in words. */
function truthText(session: Session, split: Split, index: number): string {
  const label = split.labels?.[index];
  if (label !== undefined) return session.data.classes?.[label] ?? String(label);
  return targetValues(session, split, index)?.map(formatNumber).join(', ') ?? '';
}

/**
 * An example of a split to look at: its picture, its text, or its table row's cells as the
 * file had them (in `info.fields` order), with its true class or value in the target's units.
 */
export function exampleView(session: Session, split: SplitName, index: number): ExampleView {
  const s = splitOf(session, split, index);
  const view: ExampleView = { index, truth: truthText(session, s, index) };
  const { data } = session;
  const features = (): Float32Array => s.features([index]);
  switch (data.kind) {
    case 'images':
      view.image = toImageBatch(features(), 1, ...imageShape(session));
      break;
    case 'text':
      view.text = textEncoder(session).decode(features()).join(' ');
      break;
    case 'corpus':
      view.text = decodeCorpus(data.corpus!, features());
      break;
    case 'table': {
      const encoder = tableEncoder(session);
      if (!encoder) {
        view.cells = Array.from(features(), formatNumber);
        break;
      }
      const part = split === 'test' ? 'test' : session.validationOf;
      const cells = encoder.cells(part, session.rows[split][index]!);
      view.cells = session.info.fields.map((f) => cells[f.name] ?? '');
      break;
    }
    case 'sequence':
      break;
  }
  return view;
}
