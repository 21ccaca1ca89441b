/**
 * The canvas's view, for commands run from outside it (menus, keys, the palette): fit, zoom,
 * the middle of what is shown, and panning just enough to bring a layer into sight.
 */
import type { ReactFlowInstance } from '@xyflow/react';
import type { CanvasNode } from './flow.js';
import { useGraphStore } from '../stores/graphStore.js';

let flow: ReactFlowInstance<CanvasNode> | null = null;

export function setFlowInstance(instance: ReactFlowInstance<CanvasNode> | null): void {
  flow = instance;
}

/** How high a layer's name must be on screen to be read: fitting the view never goes below it. */
export const READABLE_PX = 11;
/** The smallest text a layer's name is drawn in (`.layer-name`; its type is larger). */
export const NAME_PX = 14;
/** The least zoom fitting the view goes to: below it names are too small to read. */
export const READABLE_ZOOM = Math.ceil((READABLE_PX / NAME_PX) * 100) / 100;

export const FIT_VIEW = { padding: 0.15, maxZoom: 1.2, minZoom: READABLE_ZOOM, duration: 0 };

function canvasElement(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid="canvas"]');
}

/** Gives the canvas the keyboard, so arrows, Delete and the clipboard act on layers. */
export function focusCanvas(): void {
  canvasElement()?.focus({ preventScroll: true });
}

/**
 * Shows the whole network if it fits at a readable size. A larger one is shown at the least
 * readable zoom from where its data comes in (the left, or the top of one laid out downwards),
 * centred across, and the rest is a scroll away.
 */
export function fitView(): void {
  const canvas = canvasElement();
  if (!flow || !canvas) return;
  const nodes = flow.getNodes();
  if (nodes.length === 0) return;
  const bounds = flow.getNodesBounds(nodes);
  const view = canvas.getBoundingClientRect();
  const pad = 1 + 2 * FIT_VIEW.padding;
  const fits = Math.min(view.width / (bounds.width * pad), view.height / (bounds.height * pad));
  if (!(fits < READABLE_ZOOM)) {
    void flow.fitView(FIT_VIEW);
    return;
  }
  const zoom = READABLE_ZOOM;
  const margin = MARGIN * 2;
  const along = (start: number, size: number, room: number) => (size * zoom + 2 * margin <= room ? (room - size * zoom) / 2 - start * zoom : margin - start * zoom);
  void flow.setViewport({ x: along(bounds.x, bounds.width, view.width), y: along(bounds.y, bounds.height, view.height), zoom }, { duration: 0 });
}

export function zoomIn(): void {
  void flow?.zoomIn({ duration: 0 });
}

export function zoomOut(): void {
  void flow?.zoomOut({ duration: 0 });
}

/** The middle of the visible canvas, in the graph's coordinates. */
export function viewCentre(): { x: number; y: number } {
  const box = canvasElement()?.getBoundingClientRect();
  if (!flow || !box) return { x: 0, y: 0 };
  return flow.screenToFlowPosition({ x: box.left + box.width / 2 - 100, y: box.top + box.height / 2 - 50 });
}

const MARGIN = 24;

/**
 * Pans the least distance that shows the whole layer, its problems and repair button
 * included, with a margin; a layer already in sight does not move the view.
 */
export function revealNode(id: string): void {
  const canvas = canvasElement();
  const element = canvas?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
  if (!flow || !canvas || !element) return;
  const view = canvas.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  const shift = (start: number, end: number, viewStart: number, viewEnd: number) => {
    if (end - start > viewEnd - viewStart - 2 * MARGIN) return viewStart + MARGIN - start;
    if (start < viewStart + MARGIN) return viewStart + MARGIN - start;
    if (end > viewEnd - MARGIN) return viewEnd - MARGIN - end;
    return 0;
  };
  const dx = shift(box.left, box.right, view.left, view.right);
  const dy = shift(box.top, box.bottom, view.top, view.bottom);
  if (dx === 0 && dy === 0) return;
  const { x, y, zoom } = flow.getViewport();
  void flow.setViewport({ x: x + dx, y: y + dy, zoom }, { duration: 0 });
}

/** After an edit that changes a layer's size (a problem appears), once it has been drawn. */
export function revealNodeSoon(id: string): void {
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (useGraphStore.getState().graph.nodes.some((n) => n.id === id)) revealNode(id);
  }));
}
