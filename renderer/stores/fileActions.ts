import { download, fileStem } from './actions';
import { discardRecovery, writeRecoveryCopy } from './autosave';
import { arranged, currentProject, emptyMeta, loadDocument, newDocId, resetHistory, toProject, useGraphStore, type Doc } from './graphStore';
import { currentFile, currentIsDirty, setDocFile, useProjectStore, type Baseline } from './projectStore';
import { useRunDraftStore } from './runDraftStore';
import { loadSavedRuns } from './trainingActions';
import { useTrainingStore } from './trainingStore';
import { uploadTooBig } from './uploadLimit';
import { clearError, closeDialog, confirm, errorText, notifyError, openDialog, useUiStore } from './uiStore';
import { ApiRequestError } from '../api/client';
import { api } from '../api';
import type { ProjectFile, ResultOf } from '../../shared/api/contract';
import type { Project } from '../../shared/project/schema';
import { estimatedSize, type Size } from '../../shared/graph/placement';

const baselineOf = (doc: Pick<Doc, 'graph' | 'meta'>): Baseline => ({ graph: doc.graph, meta: doc.meta });

/** What to do once another project is on the canvas: throw away the old one's recovery copy, or nothing. */
type Replaced = () => void;
const KEEP: Replaced = () => undefined;

/**
 * Before the canvas gets another project: with unsaved changes, asks whether to save them.
 * Resolves null to stop, else what to do once the other project is there: only then, when
 * the answer was "Don't save", does the old work's recovery copy go.
 */
export async function settleUnsaved(doing: string): Promise<Replaced | null> {
  if (!currentIsDirty()) return KEEP;
  const { docId, meta } = useGraphStore.getState();
  const choice = await confirm('Unsaved changes', `“${meta.name}” has changes that are not saved. Save them before ${doing}?`, [
    { id: 'save', label: 'Save', kind: 'primary' },
    { id: 'discard', label: 'Don’t save', kind: 'danger' },
    { id: 'cancel', label: 'Cancel' },
  ]);
  if (choice === 'save') return (await save()) ? KEEP : null;
  if (choice === 'discard') return () => void discardRecovery(docId);
  return null;
}

/** Puts a project on the canvas as a document of its own, with its runs (`runs: false`: a new one has none). */
function show(project: Project, file: { path: string | null; clean: boolean; runs?: boolean }, docId = newDocId()): void {
  loadDocument(project, docId);
  const doc = useGraphStore.getState();
  setDocFile(docId, { path: file.path, baseline: file.clean ? baselineOf(doc) : null });
  useRunDraftStore.getState().reset();
  clearError();
  if (file.runs !== false) void loadSavedRuns(docId, project.name, file.path);
}

/** A new project starts with no runs: those kept under "Untitled network" are other networks'. */
export async function newProject(): Promise<void> {
  const replaced = await settleUnsaved('starting a new project');
  if (!replaced) return;
  show(toProject({ graph: { nodes: [], edges: [] }, meta: emptyMeta() }), { path: null, clean: true, runs: false });
  replaced();
}

/** What replaces the canvas's project: the project, its file, and what to do once it is there. */
interface Replacement {
  project: Project;
  file: { path: string | null; clean: boolean };
  after?: () => void;
}

/**
 * Puts another project on the canvas once unsaved work is settled: `fetchNext` gets it (null when
 * there is nothing to show); the old work's recovery copy goes only once it is there.
 */
async function replaceWith(doing: string, fetchNext: () => Promise<Replacement | null>): Promise<void> {
  const replaced = await settleUnsaved(doing);
  if (!replaced) return;
  try {
    const next = await fetchNext();
    if (!next) return;
    show(next.project, next.file);
    replaced();
    next.after?.();
  } catch (err) {
    notifyError(err);
  }
}

export async function loadTemplate(id: string): Promise<void> {
  await replaceWith('loading the template', async () => {
    const { project } = await api.request('templates.load', { id });
    return { project, file: { path: null, clean: true }, after: closeDialog };
  });
}

/** Asks the Backend which projects there are, and whether it has native dialogs. */
export async function refreshProjectList(): Promise<void> {
  try {
    const { dir, dialogs, projects, recent } = await api.request('projects.list', {});
    useProjectStore.setState({ projectsDir: dir, dialogs, listed: { projects, recent } });
  } catch (err) {
    notifyError(err);
  }
}

/** Open…: the recent files and the projects folder's, and on the desktop a native dialog for any other. */
export function openProject(): void {
  void refreshProjectList();
  openDialog('open');
}

/** What opening a file did that the user should know: a migration, an import and what it left out. */
function describeOpened(fileName: string, opened: ResultOf<'project.open'>): void {
  const { project, migratedFrom, importedFrom, warnings } = opened;
  if (migratedFrom) useUiStore.getState().notify('info', `${fileName} was made with an older NetCanvas and has been updated in memory; save to keep the new format.`);
  if (importedFrom) {
    const source = importedFrom === 'tfjs' ? 'TensorFlow.js model' : importedFrom === 'keras3' ? 'Keras 3 model' : 'Keras model';
    const notes = warnings.length ? ` Note: ${warnings.join(' ')}` : '';
    const weights = opened.weights ? ` Its weights (${opened.weights.layers.length} layer${opened.weights.layers.length === 1 ? '' : 's'}) are in the Runs list: "Start from these weights" trains from them.` : '';
    useUiStore.getState().notify('info', `Imported ${fileName} (${source}, ${project.graph.nodes.length} layers).${weights} Save to keep it as a NetCanvas project.${notes}`);
  }
}

/** The desktop's open dialog, then that file. */
export async function chooseAndOpen(): Promise<void> {
  try {
    const chosen = await api.request('projects.choose', {});
    if (!('cancelled' in chosen)) await openPath(chosen.path);
  } catch (err) {
    notifyError(err);
  }
}

/** Opens one file, from the list, the recent ones or the dialog. */
export async function openPath(path: string): Promise<void> {
  // Asked once a file is chosen, so looking through the list and closing it changes nothing.
  await replaceWith('opening another project', async () => {
    const opened = await api.request('projects.open', { path });
    if ('cancelled' in opened) return null;
    closeDialog();
    // An imported model is a new project: saving must never write over the Keras file.
    const imported = opened.importedFrom !== undefined;
    return {
      project: imported ? await laidOut(opened.project) : opened.project,
      file: { path: imported ? null : opened.file.path, clean: !imported && !opened.migratedFrom },
      after: () => {
        keepImportedRun(opened);
        describeOpened(opened.file.fileName, opened);
      },
    };
  });
}

/** A file's bytes in base64, in pieces small enough for String.fromCharCode. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * Upload: a file from anywhere, read by the browser; it becomes a project without a file. A
 * TensorFlow.js model.json comes with its weight files, chosen with it.
 */
export async function uploadFile(chosen: File | readonly File[]): Promise<void> {
  const all = Array.isArray(chosen) ? chosen : [chosen as File];
  const file = all.find((f) => /\.json$/i.test(f.name)) ?? all.find((f) => H5.test(f.name)) ?? all[0]!;
  // A Keras .h5 model is binary: it goes as bytes with the others, a model JSON's .h5 weights too.
  const binary = H5.test(file.name);
  const others = binary ? all : all.filter((f) => f !== file);
  const tooBig = uploadTooBig(all);
  if (tooBig) {
    useUiStore.getState().notify('error', tooBig);
    return;
  }
  await replaceWith('opening another file', async () => {
    const files = await Promise.all(others.map(async (f) => ({ name: f.name, data: await base64Of(f) })));
    const opened = await api.request('project.open', { text: binary ? '' : await file.text(), fileName: file.name, ...(files.length ? { files } : {}) });
    return {
      project: opened.importedFrom !== undefined ? await laidOut(opened.project) : opened.project,
      file: { path: null, clean: true },
      after: () => {
        keepImportedRun(opened);
        describeOpened(file.name, opened);
      },
    };
  });
}

const H5 = /\.(h5|hdf5)$/i;

/** The size an imported layer is laid out for before it is drawn: as wide as a layer is drawn at most. */
const IMPORTED_LAYER: Size = { width: 260, height: 110 };

/**
 * An imported model arrives arranged with the layered layout, as Arrange the network would lay
 * it out, before it reaches the canvas: nothing moves once it is drawn.
 */
async function laidOut(project: Project): Promise<Project> {
  return { ...project, graph: await arranged(project.graph, (id) => (id.startsWith('block:') ? estimatedSize(id) : IMPORTED_LAYER)) };
}


/** Document → the run that keeps the weights its model file came with, carried beside its file when first saved. */
const importedRuns = new Map<string, { projectName: string; runId: string }>();

/** Called once the opened model is on the canvas: the document is the one it became. */
function keepImportedRun(opened: ResultOf<'project.open'>): void {
  if (opened.weights) importedRuns.set(useGraphStore.getState().docId, { projectName: opened.project.name, runId: opened.weights.runId });
}

export function downloadProject(): void {
  const project = currentProject();
  download(`${JSON.stringify(project, null, 2)}\n`, `${fileStem(project.name)}.netcanvas.json`);
}

/**
 * The runs this document made in this session and kept somewhere other than beside `to`
 * (under its earlier names or file), and the weights its model file came with, so its file
 * keeps them beside it too.
 */
function runsToCarry(docId: string, to: string | null) {
  const state = useTrainingStore.getState();
  const groups = new Map<string, { projectName: string; projectPath?: string; runIds: string[] }>();
  for (const run of state.order.map((k) => state.runs[k]!)) {
    if (run.docId !== docId || run.saved || !run.runId || (to !== null && run.projectPath === to)) continue;
    const key = JSON.stringify([run.projectName, run.projectPath]);
    const group = groups.get(key) ?? { projectName: run.projectName, ...(run.projectPath ? { projectPath: run.projectPath } : {}), runIds: [] };
    group.runIds.push(run.runId);
    groups.set(key, group);
  }
  // The weights a model file came with are a saved run, kept under the project's name until it has a file.
  const imported = importedRuns.get(docId);
  if (imported) {
    const key = JSON.stringify([imported.projectName, undefined]);
    const group = groups.get(key) ?? { projectName: imported.projectName, runIds: [] };
    if (!group.runIds.includes(imported.runId)) group.runIds.push(imported.runId);
    groups.set(key, group);
  }
  return groups.size ? { carryRuns: [...groups.values()] } : {};
}

/** Marks what was written as saved; edits made while it was being written stay unsaved. */
function saved(doc: Doc, file: ProjectFile): void {
  const previous = useProjectStore.getState().files[doc.docId];
  setDocFile(doc.docId, { path: file.path, baseline: baselineOf(doc) });
  if (previous?.path !== file.path) {
    // Runs from now on are kept beside the new file, and the ones carried there belong to it.
    void loadSavedRuns(doc.docId, doc.meta.name, file.path);
  }
  clearError();
  useUiStore.getState().notify('info', `Saved “${doc.meta.name}” to ${file.path}.`);
  if (!currentIsDirty()) void discardRecovery(doc.docId);
}

/** Save: over the project's own file, or Save as… when it has none. Resolves true once saved. */
export async function save(): Promise<boolean> {
  const doc: Doc = { ...useGraphStore.getState() };
  const path = currentFile()?.path ?? null;
  if (!path) return saveAs();
  try {
    const { file } = await api.request('projects.save', { project: toProject(doc), path, ...runsToCarry(doc.docId, path) });
    saved(doc, file);
    return true;
  } catch (err) {
    notifyError(err);
    return false;
  }
}

let saveAsWaiter: ((done: boolean) => void) | null = null;

/** Save as…: the native dialog, or a name for the projects folder. Resolves true once saved. */
export async function saveAs(): Promise<boolean> {
  if (useProjectStore.getState().dialogs) return writeAs(undefined);
  openDialog('save-as');
  return new Promise((resolve) => {
    saveAsWaiter?.(false);
    saveAsWaiter = resolve;
  });
}

/** The Save as dialog closed without saving. */
export function saveAsCancelled(): void {
  saveAsWaiter?.(false);
  saveAsWaiter = null;
  closeDialog();
}

/** Writes to a new file: `fileName` in the projects folder, or the dialog's choice when left out. */
export async function writeAs(fileName: string | undefined, overwrite = false): Promise<boolean> {
  const doc: Doc = { ...useGraphStore.getState() };
  try {
    const result = await api.request('projects.saveAs', { project: toProject(doc), ...(fileName ? { fileName } : {}), overwrite, ...runsToCarry(doc.docId, null) });
    if ('cancelled' in result) return false;
    closeDialog();
    saved(doc, result.file);
    saveAsWaiter?.(true);
    saveAsWaiter = null;
    return true;
  } catch (err) {
    if (err instanceof ApiRequestError && err.code === 'EXISTS' && fileName) {
      const choice = await confirm('Replace the file?', `${errorText(err)} Replace it with “${doc.meta.name}”?`, [
        { id: 'replace', label: 'Replace', kind: 'danger' },
        { id: 'cancel', label: 'Cancel' },
      ]);
      return choice === 'replace' ? writeAs(fileName, true) : false;
    }
    notifyError(err);
    return false;
  }
}

// ---- recovery copies ----------------------------------------------------------------

/**
 * Puts a recovery copy on the canvas as the unsaved work it was. It becomes a document of
 * this window, with a copy of its own written at once; only then does the old copy go.
 */
export async function restoreCopy(copy: { docId: string; path: string | null; project: Project }): Promise<void> {
  show(copy.project, { path: copy.path, clean: false });
  await writeRecoveryCopy();
  if (useProjectStore.getState().autosave.state === 'saved') await discardRecovery(copy.docId);
}

/** The window's first document: empty, nothing to save, no history behind it. */
export function startFirstDocument(): void {
  const doc = useGraphStore.getState();
  if (!useProjectStore.getState().files[doc.docId]) setDocFile(doc.docId, { path: null, baseline: baselineOf(doc) });
  resetHistory();
  void refreshProjectList();
}
