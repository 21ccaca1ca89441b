import { useMemo } from 'react';
import type { ImageBatch } from '../../../shared/api/contract';
import { decodeBase64 } from '../../charts/pixels';
import { ImageGrid } from '../training/ImageGrid';

interface Props {
  /** Every image's pixels, 8-bit, one after another, in base64. */
  pixels: string;
  count: number;
  height: number;
  width: number;
  channels: 1 | 3;
  labels: readonly string[];
  title: string;
  testId: string;
  /** Show only the first images. */
  limit?: number;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Images one by one, each with its label under it: what the network is told each one is. */
export function LabeledImages({ pixels, count, height, width, channels, labels, title, testId, limit }: Props) {
  const batches = useMemo((): ImageBatch[] | null => {
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(pixels);
    } catch {
      return null;
    }
    const size = height * width * channels;
    if (size <= 0 || bytes.length !== size * count) return null;
    return Array.from({ length: count }, (_, i) => ({ count: 1, height, width, channels, pixels: toBase64(bytes.subarray(i * size, (i + 1) * size)) }));
  }, [pixels, count, height, width, channels]);
  if (!batches) return <p className="setting-error">The examples arrived damaged: their pixels do not make {count} images of {height}×{width}×{channels}.</p>;
  return (
    <figure className="labeled-images" data-testid={testId} aria-label={title}>
      <figcaption>{title}</figcaption>
      <ol>
        {batches.slice(0, limit).map((batch, i) => (
          <li key={i} data-testid="data-image">
            <ImageGrid batch={batch} label={`${title} ${i + 1}: ${labels[i] ?? ''}`} maxScale={4} />
            <span className="image-label">{labels[i] ?? ''}</span>
          </li>
        ))}
      </ol>
    </figure>
  );
}
