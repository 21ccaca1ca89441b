import type { BackendChoice, RunConfig } from '../../shared/api/contract.js';
import type { Project, TrainingDefaults } from '../../shared/project/schema.js';

/** Every setting of one run, the user's choices laid over the project's defaults. */
export interface ResolvedRunConfig extends Omit<TrainingDefaults, 'losses' | 'samplesPerEpoch' | 'gan'> {
  losses: Record<string, TrainingDefaults['loss']>;
  samplesPerEpoch: number | null;
  gan: TrainingDefaults['gan'] | null;
  maxBatches: number | null;
  backend: BackendChoice;
  /** The most CPU threads a WebAssembly or plain JavaScript run trains with; null for as many as train it fastest. */
  threads: number | null;
  resumeFrom: { runId: string; checkpoint: 'last' | 'best' } | null;
  startFrom: { runId: string; checkpoint: 'last' | 'best'; projectName?: string; projectPath?: string } | null;
}

export function resolveRunConfig(project: Project, config: RunConfig): ResolvedRunConfig {
  const t = project.training;
  const pick = <K extends keyof RunConfig & keyof TrainingDefaults>(key: K) => (config[key] ?? t[key]) as NonNullable<TrainingDefaults[K]>;
  return {
    dataset: t.dataset,
    task: t.task,
    loss: pick('loss'),
    losses: config.losses ?? t.losses ?? {},
    metrics: pick('metrics'),
    optimizer: pick('optimizer'),
    learningRate: pick('learningRate'),
    momentum: pick('momentum'),
    weightDecay: pick('weightDecay'),
    schedule: config.schedule ? { ...config.schedule, ...(config.schedule.kind === 'cosine' ? { minFactor: config.schedule.minFactor ?? 0 } : {}) } as TrainingDefaults['schedule'] : t.schedule,
    batchSize: pick('batchSize'),
    epochs: pick('epochs'),
    samplesPerEpoch: config.samplesPerEpoch ?? t.samplesPerEpoch ?? null,
    validation: pick('validation'),
    earlyStopping: config.earlyStopping === undefined ? t.earlyStopping : config.earlyStopping === null ? null : { minDelta: 0, ...config.earlyStopping },
    seed: pick('seed'),
    temperature: pick('temperature'),
    gan: t.gan ?? null,
    maxBatches: config.maxBatches ?? null,
    backend: config.backend ?? 'auto',
    threads: config.threads ?? null,
    resumeFrom: config.resumeFrom ? { runId: config.resumeFrom.runId, checkpoint: config.resumeFrom.checkpoint ?? 'last' } : null,
    startFrom: config.startFrom
      ? {
          runId: config.startFrom.runId,
          checkpoint: config.startFrom.checkpoint ?? 'last',
          ...(config.startFrom.projectName ? { projectName: config.startFrom.projectName } : {}),
          ...(config.startFrom.projectPath ? { projectPath: config.startFrom.projectPath } : {}),
        }
      : null,
  };
}
