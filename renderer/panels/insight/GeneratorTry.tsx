import { useEffect, useState } from 'react';
import { decodeImages } from '../../charts/pixels';
import { ImageGrid } from '../training/ImageGrid';
import { askInsight } from '../../stores/insightStore';
import { errorText } from '../../stores/uiStore';
import type { ImageBatch } from '../../../shared/api/images';
import type { GenerateRequest } from '../../../shared/api/insight';

const GRID = 16;
const WALK_STEPS = 9;

/** One image of a batch as a batch of its own, to show large. */
function imageAt(batch: ImageBatch, index: number): ImageBatch | null {
  const decoded = decodeImages(batch);
  if ('error' in decoded) return null;
  const size = decoded.height * decoded.width * decoded.channels;
  let text = '';
  for (const byte of decoded.pixels.subarray(index * size, (index + 1) * size)) text += String.fromCharCode(byte);
  return { count: 1, height: batch.height, width: batch.width, channels: batch.channels, pixels: btoa(text) };
}

function SeedField({ label, value, onChange, testId }: { label: string; value: number; onChange(seed: number): void; testId: string }) {
  return (
    <label>
      {label}{' '}
      <input type="number" step={1} value={value} data-testid={testId} onChange={(e) => Number.isInteger(Number(e.target.value)) && onChange(Number(e.target.value))} />
    </label>
  );
}

/** A GAN's generator: a grid of samples from one seed, and a walk between the noise of two seeds. */
export function GeneratorTry() {
  const [seed, setSeed] = useState(1);
  const [grid, setGrid] = useState<ImageBatch | null>(null);
  const [from, setFrom] = useState(1);
  const [to, setTo] = useState(2);
  const [walk, setWalk] = useState<ImageBatch | null>(null);
  const [step, setStep] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);

  const images = async (request: GenerateRequest) => {
    setProblem(null);
    try {
      const generated = await askInsight('insight.generate', { request });
      return generated.kind === 'images' ? generated.images : null;
    } catch (err) {
      setProblem(errorText(err));
      return null;
    }
  };
  const drawGrid = async (next: number) => setGrid(await images({ kind: 'grid', seed: next, count: GRID }));
  const drawWalk = async () => {
    setWalk(await images({ kind: 'walk', from, to, steps: WALK_STEPS }));
    setStep(0);
  };
  useEffect(() => {
    void drawGrid(seed);
    void drawWalk();
    // Drawn once as the tab opens; after that on the buttons.
  }, []);

  const shown = walk ? imageAt(walk, step) : null;
  return (
    <div className="try-generator">
      {problem && (
        <p className="setting-error" role="alert">
          {problem}
        </p>
      )}
      <section className="try-gan-grid" aria-label="Samples">
        <div className="try-controls">
          <SeedField label="Seed" value={seed} onChange={setSeed} testId="grid-seed" />
          <button onClick={() => void drawGrid(seed)}>Draw</button>
          <button
            data-testid="new-samples"
            onClick={() => {
              const next = seed + 1;
              setSeed(next);
              void drawGrid(next);
            }}
          >
            New samples
          </button>
        </div>
        {grid && <ImageGrid batch={grid} label={`${GRID} samples from seed ${seed}`} maxScale={4} columns={4} />}
      </section>
      <section className="try-gan-walk" aria-label="A walk between two noise vectors">
        <div className="try-controls">
          <SeedField label="From seed" value={from} onChange={setFrom} testId="walk-from" />
          <SeedField label="to seed" value={to} onChange={setTo} testId="walk-to" />
          <button onClick={() => void drawWalk()}>Walk</button>
        </div>
        {walk && (
          <>
            <label className="try-walk-slider">
              Along the way{' '}
              <input type="range" min={0} max={walk.count - 1} step={1} value={step} data-testid="walk-step" onChange={(e) => setStep(Number(e.target.value))} />
              <span className="mono">
                {step + 1}/{walk.count}
              </span>
            </label>
            {shown && <ImageGrid batch={shown} label={`Step ${step + 1} of the walk`} maxScale={8} columns={1} />}
            <ImageGrid batch={walk} label="Every step of the walk" maxScale={3} columns={walk.count} />
          </>
        )}
      </section>
    </div>
  );
}
