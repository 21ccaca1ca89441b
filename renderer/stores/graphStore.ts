import { temporal } from 'zundo';
import { create } from 'zustand';
import { copyLayers, pasteLayers, type Clip } from '../../shared/graph/clipboard.js';
import type { Fix } from '../../shared/graph/diagnostics.js';
import type { LayoutDirection } from '../../shared/graph/auto-layout.js';
import { ancestorsOf, blockNodeId, groupIntoBlock, inferNetwork, layersIn, ungroupBlock, updateBlock } from '../../shared/graph/blocks.js';
import * as edits from '../../shared/graph/edits.js';
import { estimatedSize, shapeLabelsOf, type Point, type Size, type SizeOf } from '../../shared/graph/placement.js';
import type { Graph, ParamValue } from '../../shared/graph/types.js';
import { CURRENT_SCHEMA_VERSION, trainingDefaultsSchema, type Project, type TrainingDefaults } from '../../shared/project/schema.js';

export type ProjectMeta = Pick<Project, 'name' | 'description' | 'training' | 'expected'>;

/**
 * The document: what history records. `docId` names the project the canvas holds, so
 * undoing a load brings back the project it replaced, with its file and its runs.
 */
export interface Doc {
  docId: string;
  graph: Graph;
  meta: ProjectMeta;
}

export interface Selection {
  nodes: readonly string[];
  edges: readonly string[];
}

interface GraphState extends Doc {
  /** Not history: what is selected, what the canvas measured, where a drag has got to. */
  selection: Selection;
  measured: Readonly<Record<string, Size>>;
  dragging: Readonly<Record<string, Point>> | null;
  /** Counts documents put on the canvas, so it can fit a newly loaded network into view. */
  loadCount: number;
}

export const UNTITLED = 'Untitled network';

export function emptyMeta(): ProjectMeta {
  // The project schema holds the one set of training defaults.
  return { name: UNTITLED, description: '', training: trainingDefaultsSchema.parse({ dataset: 'mnist' }) };
}

export function newDocId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `doc-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

const NO_SELECTION: Selection = { nodes: [], edges: [] };
const HISTORY_LIMIT = 500;

const sameDoc = (a: Doc, b: Doc) => a.graph === b.graph && a.meta === b.meta && a.docId === b.docId;

export const useGraphStore = create<GraphState>()(
  temporal(
    (): GraphState => ({
      docId: newDocId(),
      graph: { nodes: [], edges: [] },
      meta: emptyMeta(),
      selection: NO_SELECTION,
      measured: {},
      dragging: null,
      loadCount: 0,
    }),
    {
      partialize: (s): Doc => ({ docId: s.docId, graph: s.graph, meta: s.meta }),
      equality: sameDoc,
      limit: HISTORY_LIMIT,
    },
  ),
);

// ---- history ------------------------------------------------------------------------

/**
 * Consecutive changes with the same key (typing into one field, dragging a slider) make one
 * step of history, while each follows the last within STEP_PAUSE_MS; a pause, another
 * change or the field losing focus starts the next step.
 */
let openStep: { key: string; at: number } | null = null;
const STEP_PAUSE_MS = 1_500;

/** The next change starts a step of its own, e.g. when a field loses focus. */
export function sealHistory(): void {
  openStep = null;
}

function commit(change: (doc: Doc) => Partial<Doc> | null, step?: string): void {
  const before = useGraphStore.getState();
  const next = change(before);
  if (!next) return;
  const now = Date.now();
  const merge = step !== undefined && openStep?.key === step && now - openStep.at < STEP_PAUSE_MS;
  openStep = step === undefined ? null : { key: step, at: now };
  const history = useGraphStore.temporal.getState();
  if (merge) history.pause();
  useGraphStore.setState(next);
  if (merge) history.resume();
}

/**
 * After a removal, undo or redo, the selection and the measured sizes keep only what is still
 * there: a new layer may get a removed one's id, and must not inherit that layer's size.
 */
function keepWhatIsThere(): void {
  const { graph, selection, measured } = useGraphStore.getState();
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const edgeIds = new Set(graph.edges.map((e) => e.id));
  const nodes = selection.nodes.filter((id) => nodeIds.has(id));
  // A collapsed block is measured under its node's id.
  for (const block of graph.blocks ?? []) nodeIds.add(blockNodeId(block.id));
  const edges = selection.edges.filter((id) => edgeIds.has(id));
  if (nodes.length !== selection.nodes.length || edges.length !== selection.edges.length) useGraphStore.setState({ selection: { nodes, edges } });
  if (Object.keys(measured).some((id) => !nodeIds.has(id))) useGraphStore.setState({ measured: Object.fromEntries(Object.entries(measured).filter(([id]) => nodeIds.has(id))) });
}

export function undo(): void {
  openStep = null;
  useGraphStore.temporal.getState().undo();
  keepWhatIsThere();
}

export function redo(): void {
  openStep = null;
  useGraphStore.temporal.getState().redo();
  keepWhatIsThere();
}

/** Starts a document with no history behind it (the app's first document, a test). */
export function resetHistory(): void {
  openStep = null;
  useGraphStore.temporal.getState().clear();
}

// ---- edits ---------------------------------------------------------------------------

/** What the canvas measured of each layer, else an estimate; placement uses it. */
export function sizeOf(): SizeOf {
  const measured = useGraphStore.getState().measured;
  return (id) => measured[id] ?? estimatedSize(id);
}

function editGraph(change: (graph: Graph) => Graph, step?: string): void {
  commit(({ graph }) => {
    const next = change(graph);
    return next === graph ? null : { graph: next };
  }, step);
}

/** Adds a layer and selects it alone. */
function addAndSelect(result: edits.Added): string {
  commit(() => ({ graph: result.graph }));
  select([result.id]);
  return result.id;
}

export function addLayer(type: string, at: Point): string {
  return addAndSelect(edits.addLayer(useGraphStore.getState().graph, type, at, sizeOf()));
}

export function addLayerAfter(type: string, afterId: string): string {
  return addAndSelect(edits.addLayerAfter(useGraphStore.getState().graph, type, afterId, sizeOf()));
}

/** Groups the selected layers into a new block, one undoable step; the reason in words when they cannot be. */
export function groupSelection(name?: string): string | null {
  const { graph, selection } = useGraphStore.getState();
  const grouped = groupIntoBlock(graph, selection.nodes, name);
  if ('problem' in grouped) return grouped.problem;
  commit(() => ({ graph: grouped.graph }));
  return null;
}

export function ungroup(blockId: string): void {
  editGraph((g) => ungroupBlock(g, blockId));
}

export function setBlock(blockId: string, change: Parameters<typeof updateBlock>[2]): void {
  editGraph((g) => updateBlock(g, blockId, change));
}

/** The innermost block holding every selected layer, if there is one. */
export function selectedBlockId(state: Pick<GraphState, 'selection' | 'graph'> = useGraphStore.getState()): string | null {
  const chosen = state.selection.nodes.filter((id) => state.graph.nodes.some((n) => n.id === id));
  if (chosen.length === 0) return null;
  const [first, ...rest] = chosen.map((id) => ancestorsOf(state.graph, id));
  return first!.find((block) => rest.every((chain) => chain.includes(block))) ?? null;
}

export function removeElements(nodeIds: readonly string[], edgeIds: readonly string[] = []): void {
  editGraph((g) => edits.removeElements(g, nodeIds, edgeIds));
  keepWhatIsThere();
}

/** Delete, and the second half of Cut: the selected layers and connections go. */
export function removeSelection(): void {
  const { selection } = useGraphStore.getState();
  removeElements(selection.nodes, selection.edges);
}

export function moveNodes(positions: Readonly<Record<string, Point>>): void {
  editGraph((g) => edits.moveNodes(g, positions));
}

/** Layers being dragged follow the mouse in an overlay that is not history. */
export function dragMove(positions: Readonly<Record<string, Point>>): void {
  useGraphStore.setState((s) => ({ dragging: { ...s.dragging, ...positions } }));
}

/** A drag lands in the document as one move when the mouse is released. */
export function dragEnd(positions: Readonly<Record<string, Point>>): void {
  // The move lands before the overlay goes, so the layers never flash back to where they were.
  moveNodes({ ...useGraphStore.getState().dragging, ...positions });
  useGraphStore.setState({ dragging: null });
}

export function connect(connection: edits.Connection): void {
  editGraph((g) => edits.connect(g, connection));
}

/** Typing a number into a field is one step, however many keys it takes. */
export function setParam(nodeId: string, name: string, value: ParamValue): void {
  editGraph((g) => edits.setParam(g, nodeId, name, value), `param:${nodeId}:${name}`);
}

export function renameNode(nodeId: string, name: string): void {
  editGraph((g) => edits.renameNode(g, nodeId, name), `name:${nodeId}`);
}

export function setFrozen(nodeIds: readonly string[], frozen: boolean): void {
  editGraph((g) => edits.setFrozen(g, nodeIds, frozen));
}

export function applyFix(nodeId: string, fix: Fix): void {
  editGraph((g) => edits.applyFix(g, nodeId, fix, sizeOf()));
}

export function layoutGraph(): void {
  editGraph((g) => edits.layout(g));
}

/**
 * Arranges the network with the layered layout (shared/graph/auto-layout.ts), counting each
 * layer's drawn size and the shape label on each connection, as one undoable step. The layout
 * engine is loaded the first time it is asked for; an edit made while it works wins.
 */
export async function arrangeGraph(direction: LayoutDirection = 'RIGHT'): Promise<void> {
  const graph = useGraphStore.getState().graph;
  if (graph.nodes.length === 0) return;
  const laid = await arranged(graph, sizeOf(), direction);
  if (useGraphStore.getState().graph !== graph) return;
  editGraph((g) => edits.moveNodes(g, Object.fromEntries(laid.nodes.map((n) => [n.id, n.position]))));
}

/**
 * Collapses a block into one node, or opens it back into its layers, and arranges the network
 * around what is now drawn, as one undoable step: the block grows or shrinks in place of
 * the layers it pushes aside.
 */
export async function setCollapsed(blockId: string, collapsed: boolean): Promise<void> {
  const graph = useGraphStore.getState().graph;
  const next = updateBlock(graph, blockId, { collapsed });
  if (next === graph) return;
  commit(() => ({ graph: next }));
  // Another block toggled while this one is laid out lays out both, and this one gives way.
  const laid = await arranged(next, sizeOf());
  if (useGraphStore.getState().graph !== next) return;
  // The arrangement is part of the toggle's step: one undo takes both back.
  amendStep(laid);
}

/** Replaces the graph the last step left, as part of that step: an undo goes back past both. */
function amendStep(graph: Graph): void {
  const history = useGraphStore.temporal.getState();
  history.pause();
  useGraphStore.setState({ graph });
  history.resume();
}

/** Pastes layers (with their inner connections) and selects them. */
export function paste(clip: Clip, at?: Point): string[] {
  const result = pasteLayers(useGraphStore.getState().graph, clip, at, sizeOf());
  commit(() => ({ graph: result.graph }));
  select(result.ids);
  if (result.ids.length >= ARRANGE_PASTED_FROM) void arrangePasted(result.graph, result.ids);
  return result.ids;
}

/** From how many pasted layers they are arranged among themselves where they land. */
export const ARRANGE_PASTED_FROM = 8;

/**
 * Many pasted layers are laid out among themselves with the layered layout, keeping the
 * corner they landed at; nothing else moves. Part of the paste's step: one undo takes both.
 */
async function arrangePasted(graph: Graph, ids: readonly string[]): Promise<void> {
  const chosen = new Set(ids);
  const part: Graph = {
    nodes: graph.nodes.filter((n) => chosen.has(n.id)),
    edges: graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)),
    blocks: (graph.blocks ?? []).filter((b) => layersIn(graph, b.id).every((id) => chosen.has(id))),
  };
  const laid = await arranged(part, sizeOf());
  if (useGraphStore.getState().graph !== graph) return;
  amendStep(edits.moveNodes(graph, Object.fromEntries(laid.nodes.map((n) => [n.id, n.position]))));
}

/** A graph laid out with the layered layout for these drawn sizes and its shape labels; the layout engine loads on first use. */
export async function arranged(graph: Graph, sizes: SizeOf = estimatedSize, direction: LayoutDirection = 'RIGHT'): Promise<Graph> {
  if (graph.nodes.length === 0) return graph;
  const { autoLayout } = await import('../../shared/graph/auto-layout.js');
  return autoLayout(graph, { direction, sizeOf: sizes, edgeLabelOf: shapeLabelsOf(inferNetwork(graph)) });
}

export function duplicate(ids: readonly string[]): string[] {
  const clip = copyLayers(useGraphStore.getState().graph, ids);
  return clip ? paste(clip) : [];
}

/**
 * Changes the project's training defaults (task, dataset, GAN roles), saved with the project.
 * `step` joins changes into one step of history, as for a path typed key by key.
 */
export function setTraining(patch: Partial<TrainingDefaults>, step?: string): void {
  commit(({ meta }) => ({ meta: { ...meta, training: { ...meta.training, ...patch } } }), step);
}

export function renameProject(name: string): void {
  const trimmed = name.trim();
  commit(({ meta }) => (trimmed && trimmed !== meta.name ? { meta: { ...meta, name: trimmed } } : null));
}

/** Puts a project on the canvas as one step of history: undo brings back what was there. */
export function loadDocument(project: Project, docId: string = newDocId()): void {
  commit(() => ({
    docId,
    graph: project.graph,
    meta: { name: project.name, description: project.description, training: project.training, ...(project.expected ? { expected: project.expected } : {}) },
  }));
  sealHistory();
  useGraphStore.setState((s) => ({ selection: NO_SELECTION, dragging: null, measured: {}, loadCount: s.loadCount + 1 }));
}

// ---- selection -----------------------------------------------------------------------

export function select(nodes: readonly string[], edges: readonly string[] = []): void {
  useGraphStore.setState({ selection: { nodes, edges } });
}

export function selectAll(): void {
  select(useGraphStore.getState().graph.nodes.map((n) => n.id));
}

/** The one layer selected, when exactly one is. */
export function selectedNodeId(state: Pick<GraphState, 'selection' | 'graph'> = useGraphStore.getState()): string | null {
  const present = state.selection.nodes.filter((id) => state.graph.nodes.some((n) => n.id === id));
  return present.length === 1 ? present[0]! : null;
}

// ---- the document as a project file -----------------------------------------------

export function toProject(doc: Pick<Doc, 'graph' | 'meta'>): Project {
  const { expected, ...meta } = doc.meta;
  return { schemaVersion: CURRENT_SCHEMA_VERSION, ...meta, ...(expected ? { expected } : {}), graph: doc.graph };
}

export function currentProject(): Project {
  return toProject(useGraphStore.getState());
}
