import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** The panels around the canvas: each can be resized and folded away, and is remembered. */
export type Panel = 'layers' | 'inspector' | 'training';

interface LayoutState {
  sizes: Record<Panel, number>;
  open: Record<Panel, boolean>;
  /** Until resized by hand, a panel takes a size that suits the window. */
  resized: Record<Panel, boolean>;
}

/** Widths of the side panels and the height of the training panel, in pixels. */
export const PANEL_LIMITS: Record<Panel, { min: number; max: number; initial: number }> = {
  layers: { min: 160, max: 420, initial: 200 },
  inspector: { min: 220, max: 520, initial: 270 },
  training: { min: 180, max: 900, initial: 300 },
};

const clamp = (panel: Panel, size: number) => Math.round(Math.min(PANEL_LIMITS[panel].max, Math.max(PANEL_LIMITS[panel].min, size)));

export const useLayoutStore = create<LayoutState>()(
  persist(
    (): LayoutState => ({
      sizes: { layers: PANEL_LIMITS.layers.initial, inspector: PANEL_LIMITS.inspector.initial, training: PANEL_LIMITS.training.initial },
      open: { layers: true, inspector: true, training: true },
      resized: { layers: false, inspector: false, training: false },
    }),
    { name: 'netcanvas.layout', version: 1 },
  ),
);

export function resizePanel(panel: Panel, size: number): void {
  useLayoutStore.setState((s) => ({ sizes: { ...s.sizes, [panel]: clamp(panel, size) }, open: { ...s.open, [panel]: true }, resized: { ...s.resized, [panel]: true } }));
}

export function togglePanel(panel: Panel, open?: boolean): void {
  useLayoutStore.setState((s) => ({ open: { ...s.open, [panel]: open ?? !s.open[panel] } }));
}
