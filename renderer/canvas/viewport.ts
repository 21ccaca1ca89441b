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

export const FIT_VIEW = { padding: 0.15, maxZoom: 1.2, duration: 0 };

function canvasElement(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid="canvas"]');
}

/** Gives the canvas the keyboard, so arrows, Delete and the clipboard act on layers. */
export function focusCanvas(): void {
  canvasElement()?.focus({ preventScroll: true });
}

export function fitView(): void {
  void flow?.fitView(FIT_VIEW);
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
