import { useEffect, useRef, useState } from 'react';
import type { ImageBatch } from '../../../shared/api/contract';
import { decodeImages, drawGrid, firstImages, fitScale, gridColumns } from '../../charts/pixels';

interface Props {
  batch: ImageBatch;
  label: string;
  /** Columns across; by default the grid is about square. */
  columns?: number;
  /** Draw only the first images, larger; the enlarged view shows them all. */
  limit?: number;
  maxScale?: number;
  /** Screen pixels the grid may be tall, when it must fit a dialog. */
  maxHeight?: number;
  onOpen?: () => void;
}

const GAP = 2;

/** Images drawn on a canvas at a whole-number scale, nearest neighbour, so digits stay sharp when big. */
export function ImageGrid({ batch, label, columns, limit, maxScale = 8, maxHeight, onOpen }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const target = canvas.current;
    if (!target || width === 0) return;
    const decoded = decodeImages(batch);
    if ('error' in decoded) {
      setProblem(decoded.error);
      return;
    }
    setProblem(null);
    const images = limit === undefined ? decoded : firstImages(decoded, limit);
    const cols = columns ?? gridColumns(images.count, 8);
    const rows = Math.ceil(images.count / cols);
    const scale = Math.min(fitScale(width, cols, images.width, GAP, maxScale), maxHeight ? fitScale(maxHeight, rows, images.height, GAP, maxScale) : maxScale);
    const grid = drawGrid(images, { columns: cols, scale, gap: GAP, background: [203, 213, 225] });
    target.width = grid.width;
    target.height = grid.height;
    target.getContext('2d')?.putImageData(new ImageData(grid.data, grid.width, grid.height), 0, 0);
  }, [batch, columns, limit, maxScale, maxHeight, width]);

  return (
    <div className="image-grid" ref={box}>
      {problem ? (
        <p className="setting-error">{problem}</p>
      ) : (
        <canvas
          ref={canvas}
          role="img"
          aria-label={label}
          data-testid="sample-grid"
          className={onOpen ? 'openable' : undefined}
          onClick={onOpen}
          title={onOpen ? 'Click to see every sample, large' : undefined}
        />
      )}
    </div>
  );
}
