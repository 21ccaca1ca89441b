import { useState, type DragEvent } from 'react';
import { DrawingPad } from './DrawingPad';
import { ExamplePicker } from './ExamplePicker';
import { TryAnswer } from './TryAnswer';
import { fitWithin, imageBatchOf, rgbOf } from './tryPixels.js';
import { ImageGrid } from '../training/ImageGrid';
import { clearInput, setInput, useInsightStore } from '../../stores/insightStore';
import { errorText } from '../../stores/uiStore';
import type { ImageBatch } from '../../../shared/api/images';
import type { InsightInfo } from '../../../shared/api/insight';

/** A picture file decoded in the page, at most 256 pixels a side, in colour: the Analyst makes it the network's size and colours. */
async function decodeImageFile(file: File): Promise<ImageBatch> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(`${file.name} is not a picture this browser can read (PNG, JPEG, GIF, WebP and BMP are).`);
  }
  try {
    const size = fitWithin(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser gave no canvas to read the picture with.');
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
    return imageBatchOf(rgbOf(ctx.getImageData(0, 0, size.width, size.height).data), size.height, size.width, 3);
  } finally {
    bitmap.close();
  }
}

/** Clearing the pad lets go of the drawing held, not of an example or a picture picked since. */
function clearDrawing(): void {
  if (useInsightStore.getState().input?.kind === 'drawing') clearInput();
}

/** Images: draw one, drop or pick a picture, or take a test example; the answer beside what the network saw. */
export function ImageTry({ info }: { info: InsightInfo }) {
  const seen = useInsightStore((s) => s.prediction?.seen);
  // Read once: the pad draws back a drawing held from before, then draws on its own.
  const [held] = useState(() => {
    const input = useInsightStore.getState().input;
    return input?.kind === 'drawing' ? input.image : undefined;
  });
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const gray = info.inputShape[2] === 1;

  const openFile = async (file: File | undefined) => {
    if (!file) return;
    setFileProblem(null);
    try {
      setInput({ kind: 'image', image: await decodeImageFile(file) }, file.name);
    } catch (err) {
      setFileProblem(errorText(err));
    }
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void openFile(event.dataTransfer.files[0]);
  };

  return (
    <div
      className={`try-images${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      {gray && (
        <div className="try-inputs">
          <DrawingPad held={held} hint={info.digits ? 'Draw a digit, large, in the middle.' : 'Draw in the square.'} onDrawn={(image) => setInput({ kind: 'drawing', image }, 'Your drawing')} onCleared={clearDrawing} />
        </div>
      )}
      <div className="try-inputs">
        <figure className="try-figure try-seen" data-testid="seen-image">
          {seen ? <ImageGrid batch={seen} label="The input as the network sees it" maxScale={6} /> : <div className="try-seen-empty" />}
          <figcaption>What the network sees{seen ? ` (${seen.height}×${seen.width})` : ''}</figcaption>
        </figure>
        <label className="try-file">
          {gray ? 'Or a picture: drop it here or ' : 'Drop a picture here or '}
          <input type="file" accept="image/*" data-testid="image-file" onChange={(e) => void openFile(e.target.files?.[0])} />
        </label>
        {fileProblem && (
          <p className="setting-error" role="alert">
            {fileProblem}
          </p>
        )}
        <ExamplePicker count={info.testCount} onPick={(index) => setInput({ kind: 'example', split: 'test', index }, `Test example ${index}`)} />
      </div>
      <TryAnswer />
    </div>
  );
}
