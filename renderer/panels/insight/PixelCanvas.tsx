import { useEffect, useRef } from 'react';
import { drawGrid, type DecodedImages } from '../../charts/pixels';

interface Props {
  images: DecodedImages;
  /** Screen pixels the drawing may be wide; the scale is the largest whole number that fits. */
  size: number;
  label: string;
  testId?: string;
  columns?: number;
  className?: string;
  /** Screen size to stretch to, each way, when whole-number squares would make it too tall or too thin. */
  stretch?: { width: number; height: number };
}

/** Pixels already decoded (an image with a heat map over it, a head's weights) drawn sharp at a whole-number scale. */
export function PixelCanvas({ images, size, label, testId, columns = 1, className, stretch }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const target = canvas.current;
    if (!target || images.count === 0) return;
    const scale = stretch ? 1 : Math.max(1, Math.floor(size / (images.width * columns)));
    const grid = drawGrid(images, { columns, scale, gap: columns > 1 ? 2 : 0, background: [203, 213, 225] });
    target.width = grid.width;
    target.height = grid.height;
    target.getContext('2d')?.putImageData(new ImageData(grid.data, grid.width, grid.height), 0, 0);
  }, [images, size, columns]);
  return (
    <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} className={`pixel-canvas ${className ?? ''}`} style={stretch ? { width: stretch.width, height: stretch.height } : undefined} />
  );
}
