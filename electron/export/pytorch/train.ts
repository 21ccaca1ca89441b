import { augments, toSource } from '../../../shared/data/source.js';
import type { ExportFile, ModelToExport } from '../model.js';
import { sizeInWords, trainingData, type TrainingData } from './data-files.js';
import { TRAIN_DATA_PY } from './train-data-script.js';
import { trainingReadmeText } from './train-readme.js';
import { TRAIN_PY } from './train-script.js';

/**
 * train.py, the module that reads its data (train_data.py), the settings of the run it
 * trains as NetCanvas did (train_config.json), and the built-in data it needs (data/).
 */

const dims = (shape: readonly (number | null)[] | null | undefined): number[] => (shape ?? []).slice(1) as number[];

/** What train.py reads of the run: every setting that changes what training does, the shapes, and the data. */
export function trainingConfig(model: ModelToExport, data: TrainingData): Record<string, unknown> {
  const s = model.settings;
  const { inference } = model;
  return {
    format: 1,
    name: model.name,
    runId: model.runId,
    task: s.task,
    // The run started from an earlier run's weights: train.py then starts from the exported ones unless told --fresh.
    startsFromWeights: s.startFrom != null,
    settings: {
      loss: s.loss,
      metrics: s.metrics,
      optimizer: s.optimizer,
      learningRate: s.learningRate,
      momentum: s.momentum,
      weightDecay: s.weightDecay,
      schedule: s.schedule,
      batchSize: s.batchSize,
      epochs: s.epochs,
      samplesPerEpoch: s.samplesPerEpoch,
      maxBatches: s.maxBatches,
      validation: s.validation,
      earlyStopping: s.earlyStopping,
      seed: s.seed,
    },
    input: { shape: dims(inference.nodes[inference.inputIds[0]!]?.outputShape) },
    outputs: inference.outputIds.map((id) => ({ name: model.layerNames.get(id) ?? id, loss: s.losses[id] ?? s.loss, shape: dims(inference.nodes[id]?.outputShape) })),
    numClasses: data.numClasses,
    data: data.spec,
    // Applied to training batches of image data only, as NetCanvas does.
    augmentation: augments(model.project.training.augmentation) ? model.project.training.augmentation : null,
  };
}

/** What the README says of the data, once `trainingFiles` has written it: the data folder's size and where the data comes from. */
const dataSizes = new Map<string, { size: string | null; note: string }>();

/** train.py and any data files it needs. */
export async function trainingFiles(model: ModelToExport): Promise<ExportFile[]> {
  // A GAN's generator and discriminator train in turn, which train.py does not do.
  if (model.settings.task === 'gan') return [];
  const source = toSource(model.settings.dataset);
  const data = await trainingData(source);
  dataSizes.set(JSON.stringify(source), { size: data.files.length > 0 ? sizeInWords(data.files) : null, note: data.note });
  return [
    { path: 'train.py', data: TRAIN_PY },
    { path: 'train_data.py', data: TRAIN_DATA_PY },
    { path: 'train_config.json', data: `${JSON.stringify(trainingConfig(model, data), null, 2)}\n` },
    ...data.files,
  ];
}

/** The README's section on training the exported model; it gives the data folder's size once `trainingFiles` has run. */
export function trainingReadme(model: ModelToExport): string {
  const key = JSON.stringify(toSource(model.settings.dataset));
  return trainingReadmeText(model, dataSizes.get(key) ?? null);
}

