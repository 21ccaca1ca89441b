/**
 * The Trainer's own training jobs around either network: supervisedJob and ganJob take the
 * models as arguments, so the compiled and the hand-written network run the identical
 * step code, on the same data, built as electron/training/jobs/create.ts builds it.
 */
import { imagesOf, trainingExamples, type BatchOrder, type BenchData } from './batches.js';
import type { Contender } from './timing.js';
import type { Networks } from './networks.js';
import { inferGraph } from '../../shared/graph/infer.js';
import type { Project } from '../../shared/project/schema.js';
import { splitGan } from '../../shared/training/gan.js';
import { compileGraph } from '../compiler/compile.js';
import { subgraph } from '../training/jobs/create.js';
import { ganJob } from '../training/jobs/gan.js';
import type { TrainingJob } from '../training/jobs/job.js';
import { supervisedJob } from '../training/jobs/supervised.js';
import { seededRandom } from '../data/random.js';
import type { ResolvedRunConfig } from '../training/run-config.js';
import type { GradientPool } from '../training/parallel/pool.js';

function ganSplit(project: Project, config: ResolvedRunConfig, data: BenchData) {
  const split = splitGan(project.graph, inferGraph(project.graph), imagesOf(data, 'gan').inputShape, config.gan ?? undefined);
  if (!split.ok) throw new Error(split.problems.join(' '));
  return split;
}

/** The template's networks as the Trainer compiles them: the whole graph, or a GAN's two parts each on its own. */
export function compiledNetworks(project: Project, config: ResolvedRunConfig, data: BenchData): Networks {
  if (config.task !== 'gan') return { kind: 'single', model: compileGraph(project.graph) };
  const split = ganSplit(project, config, data);
  const generator = compileGraph(subgraph(project.graph, split.generator.nodes));
  try {
    return { kind: 'gan', generator, discriminator: compileGraph(subgraph(project.graph, split.discriminator.nodes)) };
  } catch (err) {
    generator.dispose();
    throw err;
  }
}

/** The job that trains `networks` for this template's task, its batches shared over `pool`'s threads if given; once it returns, it owns the networks (its dispose disposes them). */
export function benchJob(project: Project, config: ResolvedRunConfig, networks: Networks, data: BenchData, pool: GradientPool | null = null): TrainingJob {
  const kindOfTask = config.task === 'gan' ? 'gan' : 'single';
  if (networks.kind !== kindOfTask) {
    throw new Error(`the ${config.task} task cannot train ${networks.kind === 'gan' ? "a GAN's two networks" : 'one network'}`);
  }
  if (networks.kind === 'gan') {
    const split = ganSplit(project, config, data);
    const images = imagesOf(data, 'gan');
    const generatorOutput = project.graph.nodes.find((n) => n.id === split.generator.output);
    return ganJob({
      generator: networks.generator,
      discriminator: networks.discriminator,
      config,
      images: images.train,
      imageShape: images.inputShape,
      latentDim: split.latentDim,
      signed: generatorOutput?.params.activation === 'tanh',
      // Each job its own generator from the same seed: both networks see the same noise.
      random: seededRandom(config.seed),
    });
  }
  const inference = inferGraph(project.graph);
  const train = trainingExamples(project, config, data);
  return supervisedJob({ task: config.task, model: networks.model, config, train, validation: null, outputIds: inference.outputIds, pool });
}

/** A job as a contender: each call trains the next batches of `order`. */
export class Trainee implements Contender {
  private next = 0;
  constructor(
    private readonly job: TrainingJob,
    private readonly order: BatchOrder,
  ) {}

  async train(batches: number): Promise<void> {
    for (let i = 0; i < batches; i++) await this.job.trainBatch(this.order.batch(this.next++));
  }
}
