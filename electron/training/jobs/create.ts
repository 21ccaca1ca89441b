import { labelledImages, selfTargetImages, slice, textWindows, type ExampleSource } from './examples.js';
import { ganJob } from './gan.js';
import type { TrainingJob } from './job.js';
import { reconstructionSampler, textSampler } from './samplers.js';
import { supervisedJob } from './supervised.js';
import { seededRandom } from './tensors.js';
import { inferGraph, type Inference } from '../../../shared/graph/infer.js';
import type { Graph } from '../../../shared/graph/types.js';
import type { DatasetId, Project } from '../../../shared/project/schema.js';
import { splitGan } from '../../../shared/training/gan.js';
import { compileGraph } from '../../compiler/compile.js';
import { loadMnist, type ImageClassificationData } from '../../data/mnist.js';
import { loadMobyDick, type TextData } from '../../data/text.js';
import { TrainingError } from '../errors.js';
import type { ResolvedRunConfig } from '../run-config.js';

export type DataDirs = Partial<Record<DatasetId, string>>;

const DATASET_NAMES: Record<DatasetId, string> = { mnist: 'MNIST', 'moby-dick': 'Moby-Dick' };

/** Datasets read in this process, so trial runs and the real one load the files once. */
const loaded = new Map<string, Promise<unknown>>();

async function load<T>(dataset: DatasetId, dir: string | undefined, loader: () => Promise<T>): Promise<T> {
  const key = `${dataset}:${dir ?? ''}`;
  let pending = loaded.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = loader();
    loaded.set(key, pending);
    pending.catch(() => loaded.delete(key));
  }
  try {
    return await pending;
  } catch (err) {
    throw new TrainingError('DATA', `Could not read the ${DATASET_NAMES[dataset]} data: ${(err as Error).message}`);
  }
}

function needs(task: string, dataset: DatasetId, kind: 'images' | 'text'): never {
  throw new TrainingError('GRAPH', `The ${task} task needs ${kind === 'images' ? 'an image dataset such as MNIST' : 'a text dataset such as Moby-Dick'}, and this project trains on ${DATASET_NAMES[dataset]}: pick another dataset or task.`);
}

/** The first `fraction` of examples train; the rest validate, as Keras's validation_split does. */
function withValidation(config: ResolvedRunConfig, train: ExampleSource, test: ExampleSource): { train: ExampleSource; validation: ExampleSource } {
  if (config.validation.kind === 'test') return { train, validation: test };
  const held = Math.max(1, Math.round(train.count * config.validation.fraction));
  return { train: slice(train, 0, train.count - held), validation: slice(train, train.count - held, train.count) };
}

/** The part of a graph holding these nodes: one of a GAN's two networks. */
export function subgraph(graph: Graph, nodes: readonly string[]): Graph {
  const keep = new Set(nodes);
  return { nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
}

const VALIDATION_WINDOWS = 2048;

/**
 * How a character model reads its text, from the graph's shapes: the window length from
 * the Input, one-hot characters when the Input has a feature axis, a target at every
 * position when the output has a time axis.
 */
export function languageModelShape(inference: Inference, vocabulary: number) {
  const input = inference.nodes[inference.inputIds[0]!]!.outputShape!;
  const output = inference.nodes[inference.outputIds[0]!]!.outputShape!;
  return { length: input[1]!, vocabulary, oneHotInput: input.length === 3, everyStep: output.length === 3 };
}

/** Loads the project's dataset and builds the job its task trains. */
export async function createJob(project: Project, config: ResolvedRunConfig, dataDirs: DataDirs): Promise<TrainingJob> {
  const { graph } = project;
  const dataset = config.dataset;
  const inference = inferGraph(graph);
  const images = (): Promise<ImageClassificationData> => (dataset === 'mnist' ? load(dataset, dataDirs.mnist, () => loadMnist(dataDirs.mnist)) : needs(config.task, dataset, 'images'));
  const text = (): Promise<TextData> => (dataset === 'moby-dick' ? load(dataset, dataDirs['moby-dick'], () => loadMobyDick(dataDirs['moby-dick'])) : needs(config.task, dataset, 'text'));

  switch (config.task) {
    case 'classify': {
      const data = await images();
      const sparse = config.loss === 'sparseCategoricalCrossentropy';
      const source = (split: ImageClassificationData['train']) => labelledImages(split, data.imageShape, data.numClasses, sparse);
      const { train, validation } = withValidation(config, source(data.train), source(data.test));
      return supervisedJob({ task: 'classify', model: compileGraph(graph), config, train, validation, outputIds: inference.outputIds });
    }
    case 'autoencode': {
      const data = await images();
      const { train, validation } = withValidation(config, selfTargetImages(data.train, data.imageShape), selfTargetImages(data.test, data.imageShape));
      return supervisedJob({
        task: 'autoencode',
        model: compileGraph(graph),
        config,
        train,
        validation,
        outputIds: inference.outputIds,
        sampler: reconstructionSampler(validation, 16),
      });
    }
    case 'language-model': {
      const data = await text();
      const shape = languageModelShape(inference, data.alphabet.length);
      const sparse = config.loss === 'sparseCategoricalCrossentropy';
      const trainIds = data.ids.subarray(0, data.testStart);
      const testIds = data.ids.subarray(data.testStart);
      const test = textWindows(testIds, { ...shape, stride: shape.length, sparse });
      const { train, validation } = withValidation(config, textWindows(trainIds, { ...shape, stride: 1, sparse }), slice(test, 0, Math.min(test.count, VALIDATION_WINDOWS)));
      return supervisedJob({
        task: 'language-model',
        model: compileGraph(graph),
        config,
        train,
        validation,
        outputIds: inference.outputIds,
        sampler: textSampler({ ids: testIds, ...shape, generate: 240, random: seededRandom(config.seed + 1) }),
      });
    }
    case 'gan': {
      const data = await images();
      const split = splitGan(graph, inference, data.imageShape, config.gan ?? undefined);
      if (!split.ok) throw new TrainingError('GRAPH', split.problems.join(' '));
      const generatorOutput = graph.nodes.find((n) => n.id === split.generator.output);
      return ganJob({
        generator: compileGraph(subgraph(graph, split.generator.nodes)),
        discriminator: compileGraph(subgraph(graph, split.discriminator.nodes)),
        config,
        images: data.train,
        imageShape: data.imageShape,
        latentDim: split.latentDim,
        signed: generatorOutput?.params.activation === 'tanh',
        random: seededRandom(config.seed),
      });
    }
  }
}
