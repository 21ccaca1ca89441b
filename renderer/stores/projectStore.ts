import { create } from 'zustand';
import { useGraphStore, type Doc } from './graphStore.js';
import type { ProjectFile, RecoveryCopy } from '../../shared/api/contract.js';

/** What a document was when last saved or opened: it has unsaved changes while it differs. */
export type Baseline = Pick<Doc, 'graph' | 'meta'>;

export interface DocFile {
  /** The file it lives in; null until it is first saved. */
  path: string | null;
  baseline: Baseline | null;
}

export type AutosaveState = { state: 'idle' } | { state: 'saved'; at: string } | { state: 'failed'; error: string };

interface ProjectState {
  /** Every document of this session by id; undo can bring an earlier one back, file and all. */
  files: Record<string, DocFile>;
  /** The Backend has native open and save dialogs (the desktop app). */
  dialogs: boolean;
  projectsDir: string | null;
  listed: { projects: ProjectFile[]; recent: ProjectFile[] } | null;
  autosave: AutosaveState;
  /** Unsaved work left by a crash, a killed process or a reload, offered once at start. */
  recoveries: readonly RecoveryCopy[];
  recoveryProblems: readonly string[];
}

export const useProjectStore = create<ProjectState>()(() => ({
  files: {},
  dialogs: false,
  projectsDir: null,
  listed: null,
  autosave: { state: 'idle' },
  recoveries: [],
  recoveryProblems: [],
}));

export function setDocFile(docId: string, file: DocFile): void {
  useProjectStore.setState((s) => ({ files: { ...s.files, [docId]: file } }));
}

/** A document differs from its baseline by reference: edits make new objects, undo brings back the old. */
export function isDirty(doc: Doc, file: DocFile | undefined): boolean {
  if (!file?.baseline) return doc.graph.nodes.length > 0 || file?.baseline === null;
  return file.baseline.graph !== doc.graph || file.baseline.meta !== doc.meta;
}

export function currentFile(): DocFile | undefined {
  return useProjectStore.getState().files[useGraphStore.getState().docId];
}

export function currentIsDirty(): boolean {
  return isDirty(useGraphStore.getState(), currentFile());
}

export function useDirty(): boolean {
  const docId = useGraphStore((s) => s.docId);
  const graph = useGraphStore((s) => s.graph);
  const meta = useGraphStore((s) => s.meta);
  const file = useProjectStore((s) => s.files[docId]);
  return isDirty({ docId, graph, meta }, file);
}

export function useCurrentPath(): string | null {
  const docId = useGraphStore((s) => s.docId);
  return useProjectStore((s) => s.files[docId]?.path ?? null);
}
