import type { MetricPoint } from '../../shared/api/contract.js';

export interface BatchProgress {
  epoch: number;
  batch: number;
  batchesPerEpoch: number;
  samplesPerSec: number;
}

/**
 * Collects per-batch metrics and releases them at most once per interval, so a fast
 * network cannot flood the Backend or the charts with one message per batch.
 */
export class BatchCoalescer {
  private points: MetricPoint[] = [];
  private latest: BatchProgress | null = null;
  private lastFlush = -Infinity;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (progress: BatchProgress, points: MetricPoint[]) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(progress: BatchProgress, point: MetricPoint): void {
    this.points.push(point);
    this.latest = progress;
    if (this.now() - this.lastFlush >= this.intervalMs) this.flush();
  }

  flush(): void {
    if (!this.latest || this.points.length === 0) return;
    const points = this.points;
    this.points = [];
    this.lastFlush = this.now();
    this.emit(this.latest, points);
  }
}
