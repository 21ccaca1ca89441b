import { create } from 'zustand';
import type { XAxisMode } from '../charts/series';

interface ChartViewState {
  axis: XAxisMode;
  logScale: boolean;
  /** EMA factor for per-batch curves: 0 is raw, 0.99 very smooth. */
  smoothing: number;
  setAxis(axis: XAxisMode): void;
  setLogScale(on: boolean): void;
  setSmoothing(value: number): void;
}

/** How the charts are drawn; shared by the single-run and comparison views. */
export const useChartStore = create<ChartViewState>()((set) => ({
  axis: 'batch',
  logScale: false,
  smoothing: 0.9,
  setAxis: (axis) => set({ axis }),
  setLogScale: (logScale) => set({ logScale }),
  setSmoothing: (smoothing) => set({ smoothing }),
}));
