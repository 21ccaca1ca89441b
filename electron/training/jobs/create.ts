import { slice, supervisedExamples, textWindows, type ExampleSource, type FeatureTransform, type TargetSpec } from './examples.js';
import { ganJob } from './gan.js';
import type { TrainingJob } from './job.js';
import { reconstructionSampler, textSampler } from './samplers.js';
import { supervisedJob } from './supervised.js';
import { datasetFit } from '../../../shared/data/fit.js';
import { augments, toSource } from '../../../shared/data/source.js';
import { inferGraph, type Inference } from '../../../shared/graph/infer.js';
import type { Graph } from '../../../shared/graph/types.js';
import type { Project } from '../../../shared/project/schema.js';
import { splitGan } from '../../../shared/training/gan.js';
import { compileGraph } from '../../compiler/compile.js';
import { seededRandom } from '../../data/random.js';
import { augmentImages } from '../../data/augment.js';
import { datasetLabel, type DataDirs } from '../../data/builtins.js';
import { pickSplit, seededOrder, type LoadedDataset, type Split } from '../../data/dataset.js';
import { reportOf } from '../../data/inspect.js';
import { DatasetCache } from '../../data/load.js';
import { ANY_PATH, DataAccess, type DataRule } from '../../data/access.js';
import { TrainingError } from '../errors.js';
import type { ResolvedRunConfig } from '../run-config.js';
import type { GradientPool } from '../parallel/pool.js';

export type { DataDirs };

/** Datasets read in this process, so trial runs and the real one load the files once. */
const caches = new Map<string, DatasetCache>();

/** The project's dataset, read once per process through `rule`; a failure is a DATA training error. */
export async function loadProjectData(project: Project, dirs: DataDirs, rule: DataRule): Promise<LoadedDataset> {
  const key = JSON.stringify([dirs, rule]);
  let cache = caches.get(key);
  if (!cache) caches.set(key, (cache = new DatasetCache(dirs, undefined, new DataAccess(rule))));
  try {
    return await cache.load(project.training.dataset);
  } catch (err) {
    throw new TrainingError('DATA', `Could not read ${datasetLabel(toSource(project.training.dataset))}: ${(err as Error).message}`);
  }
}

/** The part of a graph holding these nodes: one of a GAN's two networks. */
export function subgraph(graph: Graph, nodes: readonly string[]): Graph {
  const keep = new Set(nodes);
  return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
}

const VALIDATION_WINDOWS = 2048;

/**
 * How a language model reads its text, from the graph's shapes: the window length from
 * the Input, one-hot tokens when the Input has a feature axis, a target at every
 * position when the output has a time axis.
 */
export function languageModelShape(inference: Inference, vocabulary: number) {
  const input = inference.nodes[inference.inputIds[0]!]!.outputShape!;
  const output = inference.nodes[inference.outputIds[0]!]!.outputShape!;
  return { length: input[1]!, vocabulary, oneHotInput: input.length === 3, everyStep: output.length === 3 };
}

/** Always the same examples are held back, whatever the run's seed, so runs compare on one validation set. */
const VALIDATION_SEED = 1;

/**
 * Training and validation splits: the test split, or a `fraction` of the training one held
 * back at random. Unlike Keras's validation_split (the last examples), a file sorted by class
 * cannot leave one class out of training.
 */
export function splits(config: Pick<ResolvedRunConfig, 'validation'>, data: LoadedDataset): { train: Split; validation: Split; validationRows: Uint32Array; validationOf: 'train' | 'test' } {
  if (config.validation.kind === 'test') return { train: data.train, validation: data.test, validationRows: Uint32Array.from({ length: data.test.count }, (_, i) => i), validationOf: 'test' };
  const count = data.train.count;
  const held = Math.max(1, Math.round(count * config.validation.fraction));
  const size = data.target.kind === 'values' ? data.target.size : 1;
  const order = seededOrder(count, VALIDATION_SEED);
  const validationRows = order.subarray(count - held);
  return { train: pickSplit(data.train, order.subarray(0, count - held), size), validation: pickSplit(data.train, validationRows, size), validationRows, validationOf: 'train' };
}

const dims = (shape: readonly (number | null)[]) => shape.slice(1) as number[];

/**
 * Loads the project's dataset (reading only what `dataRule` allows) and builds the job its task
 * trains; a supervised job shares its batches over `pool`'s threads when one is given.
 */
export async function createJob(project: Project, config: ResolvedRunConfig, dataDirs: DataDirs, dataRule: DataRule = ANY_PATH, pool: GradientPool | null = null): Promise<TrainingJob> {
  const { graph } = project;
  const inference = inferGraph(graph);
  const data = await loadProjectData(project, dataDirs, dataRule);
  const problems = datasetFit(graph, inference, reportOf(data), { task: config.task, loss: config.loss, gan: config.gan ?? undefined });
  if (problems.length > 0) throw new TrainingError('GRAPH', problems.map((p) => p.message).join(' '));

  const inputShape = dims(inference.nodes[inference.inputIds[0]!]!.outputShape!);
  const outputShape = dims(inference.nodes[inference.outputIds[0]!]!.outputShape!);
  const augmentation = data.kind === 'images' && augments(project.training.augmentation) ? project.training.augmentation : null;
  const random = seededRandom(config.seed + 2);
  const augment: FeatureTransform | undefined = augmentation
    ? (pixels, n) => augmentImages(pixels, n, data.inputShape as [number, number, number], augmentation, random)
    : undefined;
  const sparse = config.loss === 'sparseCategoricalCrossentropy';

  switch (config.task) {
    case 'classify':
    case 'regress':
    case 'autoencode': {
      const { train, validation } = splits(config, data);
      const target: TargetSpec =
        config.task === 'autoencode'
          ? { kind: 'self', shape: outputShape }
          : data.target.kind === 'values'
            ? { kind: 'values', size: data.target.size }
            : data.classes!.length === 2 && outputShape.join(',') === '1'
              ? { kind: 'binary' }
              : { kind: 'classes', numClasses: data.classes!.length, sparse };
      const validationExamples = supervisedExamples(validation, inputShape, target);
      return supervisedJob({
        task: config.task,
        model: compileGraph(graph),
        config,
        train: supervisedExamples(train, inputShape, target, augment),
        ...(augment ? { plainTrain: supervisedExamples(train, inputShape, target) } : {}),
        validation: validationExamples,
        outputIds: inference.outputIds,
        ...(config.task === 'autoencode' ? { sampler: reconstructionSampler(validationExamples, 16) } : {}),
        pool,
      });
    }
    case 'language-model': {
      const corpus = data.corpus!;
      const shape = languageModelShape(inference, corpus.tokens.length);
      const trainIds = corpus.ids.subarray(0, corpus.testStart);
      const testIds = corpus.ids.subarray(corpus.testStart);
      const test = textWindows(testIds, { ...shape, stride: shape.length, sparse });
      const train: ExampleSource = textWindows(trainIds, { ...shape, stride: corpus.stride, sparse });
      let validation: ExampleSource = slice(test, 0, Math.min(test.count, VALIDATION_WINDOWS));
      let training = train;
      if (config.validation.kind === 'split') {
        const held = Math.max(1, Math.round(train.count * config.validation.fraction));
        training = slice(train, 0, train.count - held);
        validation = slice(train, train.count - held, train.count);
      }
      const decode = (ids: readonly number[]) => ids.map((id) => corpus.tokens[id] ?? '').join(corpus.joiner);
      return supervisedJob({
        task: 'language-model',
        model: compileGraph(graph),
        config,
        train: training,
        validation,
        outputIds: inference.outputIds,
        sampler: textSampler({ ids: testIds, ...shape, decode, generate: corpus.joiner === '' ? 240 : 60, random: seededRandom(config.seed + 1) }),
        pool,
      });
    }
    case 'gan': {
      const split = splitGan(graph, inference, data.inputShape, config.gan ?? undefined);
      if (!split.ok) throw new TrainingError('GRAPH', split.problems.join(' '));
      const generatorOutput = graph.nodes.find((n) => n.id === split.generator.output);
      return ganJob({
        generator: compileGraph(subgraph(graph, split.generator.nodes)),
        discriminator: compileGraph(subgraph(graph, split.discriminator.nodes)),
        config,
        images: data.train,
        imageShape: data.inputShape,
        latentDim: split.latentDim,
        signed: generatorOutput?.params.activation === 'tanh',
        random: seededRandom(config.seed),
        ...(augment ? { augment } : {}),
      });
    }
  }
}
