import { lstat, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiFailure } from './failure.js';
import { ProjectAccess } from './project-access.js';
import { exists, ioFailure, isFolder, projectText, readLimited } from './project-disk.js';
import { defaultFileName, fileStem, PROJECT_SUFFIX, projectStem } from './project-names.js';
import { RecentList } from './recent.js';
import { RecoveryStore } from './recovery.js';
import type { RunStore } from './run-store.js';
import { shardsBeside, withWeights } from './weights.js';
import { isH5FileName, kerasWeightsBeside, openKerasH5, readH5File, withKerasWeights } from './weights-h5.js';
import type { CopyOwner, ParamsOf, ProjectFile, ResultOf } from '../../shared/api/contract.js';
import { parseModelFile } from '../../shared/project/parse.js';
import { CURRENT_SCHEMA_VERSION, type Project } from '../../shared/project/schema.js';
import { copyFolderAtomic, writeFileAtomic } from '../files/atomic.js';

/** Native open and save dialogs: the desktop app's main process has them, browser mode does not. */
export interface ProjectDialogs {
  /** The file chosen to open, or null when the dialog was cancelled. */
  open(): Promise<string | null>;
  /** The file chosen to save to (overwriting already confirmed), or null when cancelled. */
  save(defaultFileName: string): Promise<string | null>;
  /** A dataset's file or folder, chosen to read from; null when cancelled. */
  chooseData?(kind: 'file' | 'folder', defaultPath?: string): Promise<string | null>;
  /** The folder to export a run into, offered as `defaultName` in the projects folder; null when cancelled. */
  chooseExportFolder?(defaultName: string): Promise<string | null>;
}

export type CarriedRuns = NonNullable<ParamsOf<'projects.save'>['carryRuns']>[number];
type Cancelled = { cancelled: true };

export interface ProjectFilesOptions {
  /** Where browser mode lists and saves projects (default: NETCANVAS_PROJECTS_DIR or ~/NetCanvas). */
  projectsDir?: string;
  /** Recovery copies and the recent list (default: NETCANVAS_STATE_DIR or ~/.netcanvas). */
  stateDir?: string;
  dialogs?: ProjectDialogs;
  trustAllPaths?: boolean;
  /** One window only (the desktop app): its recovery copies are offered however recently written. */
  singleWindow?: boolean;
  /** Where runs are kept, and which are still being written, for carrying them beside a new file. */
  runs: RunStore;
  /** False when no runs are kept on disk: a model file's weights are then not kept either. */
  keepRuns?: boolean;
  activeRunIds: () => string[];
}

export function defaultProjectsDir(): string {
  return process.env.NETCANVAS_PROJECTS_DIR ?? path.join(os.homedir(), 'NetCanvas');
}

export function defaultStateDir(): string {
  return process.env.NETCANVAS_STATE_DIR ?? path.join(os.homedir(), '.netcanvas');
}

/** Project files on disk for the `projects.*` requests: listing, opening, saving and recovery copies. */
export class ProjectFiles {
  readonly projectsDir: string;
  readonly stateDir: string;
  private readonly dialogs: ProjectDialogs | undefined;
  private readonly recent: RecentList;
  private readonly recovery: RecoveryStore;
  private readonly access: ProjectAccess;

  constructor(private readonly options: ProjectFilesOptions) {
    this.projectsDir = path.resolve(options.projectsDir ?? defaultProjectsDir());
    this.stateDir = path.resolve(options.stateDir ?? defaultStateDir());
    this.dialogs = options.dialogs;
    this.recent = new RecentList(path.join(this.stateDir, 'recent.json'));
    this.recovery = new RecoveryStore(path.join(this.stateDir, 'recovery'), options.singleWindow ?? false);
    this.access = new ProjectAccess(this.projectsDir, this.recent, options.trustAllPaths);
  }

  /** The absolute path when requests may read or write it; ApiFailure('FORBIDDEN') otherwise. */
  checkPath(file: string): Promise<string> {
    return this.access.check(file);
  }

  /** A file the user chose outside any request (the file manager, a second launch): requests may use it. */
  allow(file: string): void {
    this.access.grant(file);
  }

  async list(): Promise<ResultOf<'projects.list'>> {
    let names: string[] = [];
    try {
      names = await readdir(this.projectsDir);
    } catch {
      // Created on the first save; until then there is nothing to list.
    }
    const candidates = names.filter((n) => n.toLowerCase().endsWith(PROJECT_SUFFIX) && !n.startsWith('.') && !n.endsWith('.tmp'));
    const found = await Promise.all(candidates.map((n) => this.describe(path.join(this.projectsDir, n))));
    const recent = await Promise.all((await this.recent.entries()).map((entry) => this.describe(entry.path)));
    const newestFirst = (a: ProjectFile, b: ProjectFile) => b.modifiedAt.localeCompare(a.modifiedAt);
    return {
      dir: this.projectsDir,
      dialogs: this.dialogs !== undefined,
      projects: found.filter((f) => f !== null).sort(newestFirst),
      recent: recent.filter((f) => f !== null),
    };
  }

  /** The open dialog's choice, granted for opening; nothing is read yet. */
  async choose(): Promise<{ path: string } | Cancelled> {
    const chosen = await this.chooseToOpen();
    return chosen === null ? { cancelled: true } : { path: chosen };
  }

  async open(requested?: string): Promise<ResultOf<'projects.open'>> {
    const chosen = requested ?? (await this.chooseToOpen());
    if (chosen === null) return { cancelled: true };
    const file = await this.access.check(chosen, 'open');
    const store = this.options.keepRuns === false ? null : this.options.runs;
    if (isH5FileName(file)) return this.openH5(file, store);
    const { text, modifiedAt } = await readLimited(file);
    const parsed = parseModelFile(text, path.basename(file));
    if (!parsed.ok) throw new ApiFailure('INVALID_PROJECT', parsed.error.message);
    // A model's weight files are read from its own folder, through the same capped reader.
    const weights =
      parsed.importedFrom === 'tfjs'
        ? await withWeights(text, parsed.project, path.basename(file), shardsBeside(file), store)
        : parsed.importedFrom
          ? await withKerasWeights(text, parsed.project, kerasWeightsBeside(file), store)
          : {};
    await this.remember(file);
    return {
      file: { ...fileInfo(file, modifiedAt), name: parsed.project.name },
      project: parsed.project,
      ...(parsed.migratedFrom ? { migratedFrom: parsed.migratedFrom } : {}),
      ...(parsed.importedFrom ? { importedFrom: parsed.importedFrom } : {}),
      ...weights,
      warnings: [...parsed.warnings, ...(weights.warnings ?? [])],
    };
  }

  /** A whole Keras model in one .h5 file; granted but not in the recent list, which lists project files. */
  private async openH5(file: string, store: RunStore | null): Promise<ResultOf<'projects.open'>> {
    const read = await readH5File(file).catch((err: unknown) => {
      throw (err as NodeJS.ErrnoException).code === 'ENOENT' ? new ApiFailure('NOT_FOUND', `There is no file at ${file}.`) : err;
    });
    const opened = await openKerasH5(read.bytes, path.basename(file), store);
    this.access.grant(file);
    return { file: { ...fileInfo(file, read.modifiedAt), name: opened.project.name }, ...opened };
  }

  async save(project: Project, requested: string, carryRuns: readonly CarriedRuns[] = []): Promise<{ file: ProjectFile }> {
    const file = await this.access.check(requested);
    await this.refuseNewer(file);
    return this.write(project, file, carryRuns);
  }

  async saveAs(project: Project, fileName: string | undefined, overwrite: boolean, carryRuns: readonly CarriedRuns[] = []): Promise<{ file: ProjectFile } | Cancelled> {
    if (this.dialogs) {
      const chosen = await this.dialogs.save(fileName ?? defaultFileName(project.name));
      if (chosen === null) return { cancelled: true };
      this.access.grant(chosen);
      return this.write(project, await this.access.check(chosen), carryRuns);
    }
    if (fileName === undefined) throw new ApiFailure('INVALID_REQUEST', 'Give the project file a name: this NetCanvas has no save dialog.');
    const name = `${projectStem(fileName)}${PROJECT_SUFFIX}`;
    const file = await this.access.check(path.join(this.projectsDir, name));
    if (!overwrite && (await exists(file))) throw new ApiFailure('EXISTS', `There is already a project file named ${name} in ${this.projectsDir}.`);
    return this.write(project, file, carryRuns);
  }

  async autosave(docId: string, owner: CopyOwner, project: Project, file: string | null): Promise<{ savedAt: string }> {
    projectText(project, `The recovery copy of "${project.name}"`);
    return this.recovery.write(docId, owner, project, file === null ? null : await this.access.check(file));
  }

  /** Listing a copy grants its file, so the recovered work can be saved back where it belongs. */
  async recoveries(owner: CopyOwner): Promise<ResultOf<'projects.recoveries'>> {
    const listed = await this.recovery.list(owner);
    for (const copy of listed.copies) if (copy.path !== null) this.access.grant(copy.path);
    return listed;
  }

  async discardRecovery(docId: string): Promise<{ discarded: boolean }> {
    return { discarded: await this.recovery.discard(docId) };
  }

  private async chooseToOpen(): Promise<string | null> {
    if (!this.dialogs) throw new ApiFailure('INVALID_REQUEST', 'Choose a project from the list: this NetCanvas has no open dialog.');
    const chosen = await this.dialogs.open();
    if (chosen !== null) this.access.grant(chosen);
    return chosen;
  }

  /** A file saved by a newer NetCanvas since it was opened holds things this one would drop. */
  private async refuseNewer(file: string): Promise<void> {
    let version: unknown;
    try {
      version = (JSON.parse((await readLimited(file)).text) as { schemaVersion?: unknown }).schemaVersion;
    } catch {
      return; // Missing, damaged or huge: nothing a save could lose.
    }
    if (typeof version === 'number' && version > CURRENT_SCHEMA_VERSION) {
      throw new ApiFailure(
        'INVALID_PROJECT',
        `${file} was saved by a newer NetCanvas since (schema ${version}; this one writes ${CURRENT_SCHEMA_VERSION}); saving over it would lose what that version added. Use Save as to keep your work in another file.`,
      );
    }
  }

  private async write(project: Project, file: string, carryRuns: readonly CarriedRuns[] = []): Promise<{ file: ProjectFile }> {
    // Writing would create a missing folder; for a removed drive that would be the wrong disk.
    if (path.dirname(file) !== this.projectsDir && !(await isFolder(path.dirname(file)))) {
      throw new ApiFailure('IO', `Could not write ${file}: the folder ${path.dirname(file)} does not exist.`);
    }
    const text = projectText(project, `"${project.name}" as a file`, 2);
    for (const runs of carryRuns) await this.carry(runs, project.name, file);
    try {
      await writeFileAtomic(file, `${text}\n`);
    } catch (err) {
      throw ioFailure(err, file, 'write');
    }
    await this.remember(file);
    return { file: { ...fileInfo(file, (await stat(file)).mtime), name: project.name } };
  }

  /** Copies finished runs beside the new file; the old ones stay where they were. */
  private async carry({ projectName, projectPath, runIds }: CarriedRuns, newName: string, newPath: string): Promise<void> {
    const fromDir = this.options.runs.projectDir(projectName, projectPath === undefined ? undefined : await this.access.check(projectPath));
    const toDir = this.options.runs.projectDir(newName, newPath);
    const active = new Set(this.options.activeRunIds());
    for (const runId of runIds) {
      // Run ids are folder names: anything else could reach outside the runs folder.
      if (!/^[\w-]+$/.test(runId)) throw new ApiFailure('INVALID_REQUEST', `"${runId}" is not a run id.`);
      const from = path.join(fromDir, runId);
      const to = path.join(toDir, runId);
      if (from === to || active.has(runId) || !(await isFolder(from)) || (await exists(to))) continue;
      try {
        await copyFolderAtomic(from, to);
      } catch (err) {
        throw new ApiFailure('IO', `Could not copy run ${runId} to ${toDir}, so the project was not saved: ${ioFailure(err, to, 'write').message}`);
      }
    }
  }

  private async remember(file: string): Promise<void> {
    this.access.grant(file);
    await this.recent.add(file);
  }

  /** A listed file, or null when it is gone; one that cannot be opened carries its problem. */
  private async describe(file: string): Promise<ProjectFile | null> {
    try {
      if (!(await lstat(file)).isFile()) return null;
      const { text, modifiedAt } = await readLimited(file);
      const parsed = parseModelFile(text, path.basename(file));
      const info = fileInfo(file, modifiedAt);
      return parsed.ok ? { ...info, name: parsed.project.name } : { ...info, problem: parsed.error.message };
    } catch (err) {
      const modifiedAt = await stat(file).then((s) => s.mtime, () => null);
      return modifiedAt ? { ...fileInfo(file, modifiedAt), problem: (err as Error).message } : null;
    }
  }
}

function fileInfo(file: string, modifiedAt: Date): ProjectFile {
  const fileName = path.basename(file);
  return { path: file, fileName, name: fileStem(fileName), modifiedAt: modifiedAt.toISOString() };
}
