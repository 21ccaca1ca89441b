import { ExportRefused, type ExportFile, type ExportTarget, type ModelToExport, type Refusal, type TargetWriter } from './model.js';
import type { ExportPart, RunRecord } from './run.js';
import type { CheckpointKind, ExportTargetName } from '../../shared/api/contract.js';
import type { Project } from '../../shared/project/schema.js';
import { writeFolderFiles } from '../files/export-folder.js';

/** The contract's names and the writers' are one list: a target added to one and not the other fails the typecheck. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const SAME_TARGETS: Same<ExportTarget, ExportTargetName> = true;
void SAME_TARGETS;

/** Each target's writer, loaded when an export asks for it: the Backend starts without them. */
const WRITERS: Readonly<Record<ExportTarget, () => Promise<TargetWriter>>> = {
  tfjs: async () => (await import('./tfjs/index.js')).TFJS_WRITER,
  pytorch: async () => (await import('./pytorch/index.js')).PYTORCH_WRITER,
  onnx: async () => (await import('./onnx/index.js')).ONNX_WRITER,
  keras: async () => (await import('./keras/index.js')).KERAS_WRITER,
};

export function writerFor(target: ExportTarget): Promise<TargetWriter> {
  return WRITERS[target]();
}

/** Every layer of these networks the target cannot express; none when it can write them all. */
export async function refusalsFor(parts: readonly ExportPart[], target: ExportTarget): Promise<Refusal[]> {
  const writer = await writerFor(target);
  return parts.flatMap((part) => writer.refusals(part.model));
}

/** Throws ExportRefused, naming each layer and why, unless the target can write every network. */
export async function checkExportable(parts: readonly ExportPart[], target: ExportTarget): Promise<void> {
  const refusals = await refusalsFor(parts, target);
  if (refusals.length > 0) throw new ExportRefused(target, refusals);
}

/**
 * Writes the target's files for each network into `out` (a network's own folder inside it),
 * each atomically; a refusal writes nothing. The paths written, in order.
 */
export async function exportPartsTo(parts: readonly ExportPart[], target: ExportTarget, out: string): Promise<string[]> {
  await checkExportable(parts, target);
  const writer = await writerFor(target);
  const files: ExportFile[] = [];
  for (const part of parts) {
    for (const file of await writer.files(part.model)) files.push({ path: part.folder ? `${part.folder}/${file.path}` : file.path, data: file.data });
  }
  return writeFolderFiles(out, files);
}

/** One network (a fresh one, or a run's) as the target's files in `out`. */
export function exportModelTo(model: ModelToExport, target: ExportTarget, out: string): Promise<string[]> {
  return exportPartsTo([{ folder: '', model }], target, out);
}

export interface RunExport {
  /** The project as it is now: its network is used only for a run saved without its own. */
  project?: Project;
  run: RunRecord;
  target: ExportTarget;
  out: string;
  checkpoint?: CheckpointKind;
}

/** A saved run, with its weights, as the target's files in `out`; the paths written. */
export async function exportRun({ project, run, target, out, checkpoint }: RunExport): Promise<string[]> {
  // Loaded when asked for, as the writers are: this module's other users build no networks.
  const { runToExport } = await import('./run.js');
  const parts = await runToExport(run, { ...(checkpoint ? { checkpoint } : {}), ...(project ? { current: project } : {}) });
  return exportPartsTo(parts, target, out);
}

/** A path as typed into a shell: quoted when it holds anything but plain characters. */
const shellPath = (p: string) => (/^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

/** What to run next with an export's files (relative paths, as `runs.export` gives them). */
export function nextSteps(folder: string, files: readonly string[]): string[] {
  const has = (name: string) => files.includes(name);
  const at = `cd ${shellPath(folder)} && `;
  const steps: string[] = [];
  if (has('predict.py')) steps.push(`Predict: ${at}python predict.py in.npy out.npy`);
  // A GAN's export has no train.py, so no training lines.
  if (has('train.py')) {
    steps.push(`Train on one CPU or GPU: ${at}python train.py`);
    steps.push(`Train on every GPU of a machine with GPUs: ${at}torchrun --standalone --nproc_per_node=gpu train.py`);
  }
  if (has('README.md')) steps.push(`More in ${shellPath(`${folder}/README.md`)}`);
  return steps;
}
