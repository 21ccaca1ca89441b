/** Layer commands that need the canvas's view as well as the document: add, move the selection, connect. */
import { focusCanvas, revealNodeSoon, viewCentre } from '../canvas/viewport';
import { addLayer, addLayerAfter, connect, paste, removeElements, select, selectedNodeId, sizeOf, useGraphStore } from '../stores/graphStore';
import type { Clip } from '../../shared/graph/clipboard';
import { showPicker, type PickItem } from '../stores/uiStore';
import { neighbour, type Direction } from '../../shared/graph/navigate';
import type { GraphEdge, GraphNode } from '../../shared/graph/types';
import { getLayerSpec } from '../../shared/layers/registry';

export function layerLabel(node: GraphNode): string {
  return node.name ? `${node.type} “${node.name}”` : `${node.type} ${node.id}`;
}

/**
 * Adds a layer the way the palette and the keyboard do: after the selected layer, connected
 * to it, or in free space in the middle of the view when none is selected.
 */
export function addLayerHere(type: string): void {
  const after = selectedNodeId();
  const id = after ? addLayerAfter(type, after) : addLayer(type, viewCentre());
  revealNodeSoon(id);
  focusCanvas();
}

/** A saved block from the palette, pasted into free space in the middle of the view, selected. */
export function addBlockHere(clip: Clip): void {
  const ids = paste(clip, viewCentre());
  if (ids[0]) revealNodeSoon(ids[0]);
  focusCanvas();
}

export function moveSelection(direction: Direction): void {
  const { graph } = useGraphStore.getState();
  const next = neighbour(graph, selectedNodeId() ?? useGraphStore.getState().selection.nodes[0] ?? null, direction, sizeOf());
  if (!next) return;
  select([next]);
  revealNodeSoon(next);
}

function byId(id: string): GraphNode | undefined {
  return useGraphStore.getState().graph.nodes.find((n) => n.id === id);
}

/** Connect to…: every layer that takes inputs, one row per named input, those already fed by it greyed. */
export function pickConnectTarget(): void {
  const fromId = selectedNodeId();
  const from = fromId ? byId(fromId) : undefined;
  if (!from) return;
  const { graph } = useGraphStore.getState();
  const items: PickItem[] = [];
  for (const node of graph.nodes) {
    const spec = getLayerSpec(node.type);
    if (node.id === from.id || !spec || spec.inputs.max === 0) continue;
    for (const slot of spec.inputs.slots ?? [null]) {
      const linked = graph.edges.some((e) => e.source === from.id && e.target === node.id && (e.targetHandle ?? null) === slot);
      items.push({
        id: `${node.id}:${slot ?? ''}`,
        label: `${layerLabel(node)}${slot ? ` · ${slot}` : ''}`,
        disabled: linked ? 'already connected' : false,
        run: () => {
          connect({ source: from.id, target: node.id, targetHandle: slot });
          focusCanvas();
        },
      });
    }
  }
  showPicker({ title: `Connect ${layerLabel(from)} to…`, placeholder: 'Layer to feed', items, empty: 'No other layer takes an input.' });
}

/** Disconnect…: the selected layer's connections, in and out. */
export function pickConnectionToRemove(): void {
  const id = selectedNodeId();
  const node = id ? byId(id) : undefined;
  if (!node) return;
  const { graph } = useGraphStore.getState();
  const describe = (e: GraphEdge) => {
    const other = byId(e.source === node.id ? e.target : e.source);
    const name = other ? layerLabel(other) : '?';
    return e.source === node.id ? `to ${name}${e.targetHandle ? ` · ${e.targetHandle}` : ''}` : `from ${name}`;
  };
  const items: PickItem[] = graph.edges
    .filter((e) => e.source === node.id || e.target === node.id)
    .map((e) => ({
      id: e.id,
      label: describe(e),
      run: () => {
        removeElements([], [e.id]);
        focusCanvas();
      },
    }));
  showPicker({ title: `Disconnect ${layerLabel(node)}…`, placeholder: 'Connection to remove', items, empty: 'This layer has no connections.' });
}

/** Moves the keyboard to the selected layer's settings; `field` picks one (the name). */
export function focusSettings(field?: string): void {
  const inspector = document.querySelector('[data-testid="inspector"]');
  const target = field ? inspector?.querySelector<HTMLElement>(`#${field}`) : inspector?.querySelector<HTMLElement>('.param-fields input, .param-fields select');
  target?.focus();
  if (target instanceof HTMLInputElement) target.select();
}
