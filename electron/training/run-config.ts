import type { BackendChoice, RunConfig } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';

export interface ResolvedRunConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: Project['training']['optimizer'];
  loss: Project['training']['loss'];
  maxBatches: number | null;
  backend: BackendChoice;
  seed: number;
}

/** The run's settings: what the user chose for this run, else the project's defaults. */
export function resolveRunConfig(project: Project, config: RunConfig): ResolvedRunConfig {
  const t = project.training;
  return {
    epochs: config.epochs ?? t.epochs,
    batchSize: config.batchSize ?? t.batchSize,
    learningRate: config.learningRate ?? t.learningRate,
    optimizer: config.optimizer ?? t.optimizer,
    loss: t.loss,
    maxBatches: config.maxBatches ?? null,
    backend: config.backend ?? 'auto',
    seed: config.seed ?? 42,
  };
}
