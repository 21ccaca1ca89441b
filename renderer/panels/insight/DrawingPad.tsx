import { useEffect, useRef, type PointerEvent as PadEvent } from 'react';
import { downscaleGray, hasInk, imageBatchOf } from './tryPixels.js';
import { decodeImages, drawGrid } from '../../charts/pixels';
import type { ImageBatch } from '../../../shared/api/images';

interface Props {
  /** A drawing held from before (the tab was left and opened again): drawn back as the pad opens. */
  held?: ImageBatch;
  /** Said beside the Clear button: what to draw. */
  hint: string;
  /** A finished stroke's drawing, a moment after the last stroke ends: light strokes on black. */
  onDrawn(image: ImageBatch): void;
  onCleared(): void;
}

/** The pad's pixels; it is shown at this size in CSS pixels too. */
const SIZE = 280;
/** The drawing is sent 2× smaller (140×140): enough for any small network, and each pixel a mean of four. */
const SEND_FACTOR = 2;
/** As thick, relative to a digit drawn across most of the pad, as MNIST's pen strokes. */
const STROKE = 22;
/** Strokes drawn in quick succession (a 4 in two strokes) are asked about once. */
const SETTLE_MS = 150;

/** A square to draw on with the mouse, a finger or a pen: thick round white strokes on black. */
export function DrawingPad({ held, hint, onDrawn, onCleared }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const drawn = useRef(onDrawn);
  drawn.current = onDrawn;

  const context = () => canvas.current?.getContext('2d', { willReadFrequently: true }) ?? null;
  const blank = () => {
    const ctx = context();
    if (!ctx) return;
    ctx.fillStyle = 'black';
    ctx.fillRect(0, 0, SIZE, SIZE);
  };
  const drawBack = (image: ImageBatch) => {
    const decoded = decodeImages(image);
    const ctx = context();
    if ('error' in decoded || !ctx) return;
    const grid = drawGrid(decoded, { columns: 1, scale: 1, gap: 0, background: [0, 0, 0] });
    const small = document.createElement('canvas');
    small.width = grid.width;
    small.height = grid.height;
    small.getContext('2d')?.putImageData(new ImageData(grid.data, grid.width, grid.height), 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, SIZE, SIZE);
  };
  useEffect(() => {
    blank();
    if (held) drawBack(held);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  const pointAt = (event: PadEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) * SIZE) / rect.width, y: ((event.clientY - rect.top) * SIZE) / rect.height };
  };
  const line = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const ctx = context();
    if (!ctx) return;
    ctx.strokeStyle = 'white';
    ctx.lineWidth = STROKE;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x, to.y);
    ctx.stroke();
  };
  const send = () => {
    const ctx = context();
    if (!ctx) return;
    const gray = downscaleGray(ctx.getImageData(0, 0, SIZE, SIZE).data, SIZE, SIZE, SEND_FACTOR);
    if (hasInk(gray.pixels)) drawn.current(imageBatchOf(gray.pixels, gray.height, gray.width, 1));
  };

  const down = (event: PadEvent<HTMLCanvasElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    if (timer.current) clearTimeout(timer.current);
    const at = pointAt(event);
    last.current = at;
    line(at, at);
  };
  const move = (event: PadEvent<HTMLCanvasElement>) => {
    if (!last.current) return;
    const at = pointAt(event);
    line(last.current, at);
    last.current = at;
  };
  const up = () => {
    if (!last.current) return;
    last.current = null;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(send, SETTLE_MS);
  };
  const clear = () => {
    if (timer.current) clearTimeout(timer.current);
    last.current = null;
    blank();
    onCleared();
  };

  return (
    <div className="drawing-pad">
      <canvas
        ref={canvas}
        width={SIZE}
        height={SIZE}
        data-testid="drawing-pad"
        aria-label="Drawing pad: draw with the mouse, a finger or a pen"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      <div className="drawing-pad-bar">
        <button data-testid="clear-drawing" onClick={clear}>
          Clear
        </button>
        <span className="try-hint">{hint}</span>
      </div>
    </div>
  );
}
