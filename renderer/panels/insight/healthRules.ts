import type { HealthEpoch, Histogram } from '../../../shared/api/insight.js';

/** Under this share of the largest layer's gradient norm, a layer's gradient has vanished. */
export const VANISHING_SHARE = 1e-6;
/** Growing more than this many times from its first epoch, a layer's gradient is exploding. */
export const EXPLODING_GROWTH = 100;

export type LayerStatus = 'dead' | 'vanishing' | 'exploding';

export interface LayerWarning {
  layer: string;
  status: LayerStatus;
  /** What it means, in words. */
  message: string;
}

const figure = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? String(Number(v.toPrecision(3))) : v.toExponential(1));

/** Every layer the epochs name, in the order the network has them. */
export function layerNames(epochs: readonly HealthEpoch[]): string[] {
  const seen = new Set<string>();
  for (const epoch of epochs) for (const layer of epoch.layers) seen.add(layer.name);
  return [...seen];
}

/**
 * The layers whose gradients, at the latest epoch, say they do not learn well: 0 (dead),
 * under a millionth of the largest layer's (vanishing), or more than 100 times what it was at
 * the first epoch it was recorded (exploding).
 */
export function layerWarnings(epochs: readonly HealthEpoch[]): LayerWarning[] {
  const last = epochs.at(-1);
  if (!last) return [];
  const largest = Math.max(0, ...last.layers.map((l) => l.gradientNorm));
  const warnings: LayerWarning[] = [];
  for (const layer of last.layers) {
    const norm = layer.gradientNorm;
    if (norm === 0) {
      warnings.push({
        layer: layer.name,
        status: 'dead',
        message: `${layer.name}: gradient 0 at epoch ${last.epoch} — nothing it does changes the loss, so it does not learn (a frozen layer, or units whose ReLU never fires).`,
      });
      continue;
    }
    if (largest > 0 && norm < largest * VANISHING_SHARE) {
      warnings.push({
        layer: layer.name,
        status: 'vanishing',
        message: `${layer.name}: gradient ${figure(norm)}, under a millionth of the largest layer's (${figure(largest)}) — it barely learns. Layers between it and the output may squash the signal.`,
      });
      continue;
    }
    const first = epochs.map((e) => e.layers.find((l) => l.name === layer.name)).find((l) => l !== undefined && l.gradientNorm > 0);
    if (first && first !== layer && norm > first.gradientNorm * EXPLODING_GROWTH) {
      const since = epochs.find((e) => e.layers.includes(first))!.epoch;
      warnings.push({
        layer: layer.name,
        status: 'exploding',
        message: `${layer.name}: gradient grew ${figure(norm / first.gradientNorm)}× since epoch ${since} (${figure(first.gradientNorm)} → ${figure(norm)}) — the weights may soon jump about; a lower learning rate steadies them.`,
      });
    }
  }
  return warnings;
}

export interface NormRow {
  epoch: number;
  /** Each layer's gradient norm by name; null where a log scale cannot draw it (0) or it was not recorded. */
  [layer: string]: number | null;
}

/** One row per epoch for a line chart of each layer's gradient norm on a log scale. */
export function gradientRows(epochs: readonly HealthEpoch[]): NormRow[] {
  const names = layerNames(epochs);
  return epochs.map((e) => {
    const row: NormRow = { epoch: e.epoch };
    for (const name of names) {
      const norm = e.layers.find((l) => l.name === name)?.gradientNorm;
      row[name] = norm !== undefined && norm > 0 ? norm : null;
    }
    return row;
  });
}

/** The smallest and largest positive gradient norm drawn, for the log axis; null when there is none. */
export function normRange(epochs: readonly HealthEpoch[]): [number, number] | null {
  const norms = epochs.flatMap((e) => e.layers.map((l) => l.gradientNorm)).filter((n) => n > 0 && Number.isFinite(n));
  return norms.length > 0 ? [Math.min(...norms), Math.max(...norms)] : null;
}

export interface Bin {
  /** The bin's middle, for the axis. */
  at: number;
  from: number;
  to: number;
  count: number;
}

/** A histogram's bins with their edges: equal widths from min to max. */
export function histogramBins(h: Histogram): Bin[] {
  const width = h.counts.length > 0 ? (h.max - h.min) / h.counts.length : 0;
  return h.counts.map((count, i) => {
    const from = h.min + i * width;
    return { at: from + width / 2, from, to: from + width, count };
  });
}

/** Distinct colours in a fixed order, one per layer. */
const PALETTE = ['#1d4ed8', '#dc2626', '#047857', '#b45309', '#7c3aed', '#0e7490', '#be185d', '#4d7c0f', '#475569', '#c2410c'];

export const layerColor = (index: number): string => PALETTE[index % PALETTE.length]!;

/** A figure as the panel prints it: three digits, or a power of ten for very small or large values. */
export const formatFigure = figure;
