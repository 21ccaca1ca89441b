import { useState } from 'react';
import { ImageGrid } from './ImageGrid';
import { SamplesDialog } from './SamplesDialog';
import { TextSample } from './TextSample';
import { requestSamples } from '../../stores/trainingActions';
import { TRAINING_ELSEWHERE, type SampleEntry } from '../../stores/runs';
import { isActive, useCurrentRun } from '../../stores/trainingStore';

/**
 * What the current run makes: a GAN's images, a language model's text, an autoencoder's
 * reconstructions under their originals. The latest shows; earlier epochs are a click back.
 */
export function SamplesPanel() {
  const key = useCurrentRun((run) => run?.key ?? null);
  const entries = useCurrentRun((run) => run?.samples);
  const live = useCurrentRun((run) => !!run?.runId && isActive(run.status) && run.status !== 'stopping');
  const elsewhere = useCurrentRun((run) => run?.status === 'elsewhere');
  // null follows the newest samples; an entry is held while the user looks back, even as newer ones arrive.
  const [picked, setPicked] = useState<SampleEntry | null>(null);
  const [enlarged, setEnlarged] = useState(false);
  if (!key || !entries || entries.length === 0) {
    return <p className="muted samples-empty">GAN, autoencoder and language-model runs show what they make here, each epoch.</p>;
  }
  const held = picked ? entries.indexOf(picked) : -1;
  const index = held >= 0 ? held : entries.length - 1;
  const entry = entries[index]!;
  const go = (to: number) => setPicked(to >= entries.length - 1 ? null : entries[Math.max(0, to)]!);
  const { samples } = entry;

  return (
    <div className="samples" data-testid="samples-panel">
      <div className="samples-header">
        <button onClick={() => go(index - 1)} disabled={index === 0} aria-label="Earlier samples">
          ‹
        </button>
        <span data-testid="samples-epoch">
          Epoch {entry.epoch}
          {entries.length > 1 && <small className="muted"> ({index + 1} of {entries.length})</small>}
        </span>
        <button onClick={() => go(index + 1)} disabled={index === entries.length - 1} aria-label="Later samples">
          ›
        </button>
        {samples.kind !== 'text' && (
          <button onClick={() => void requestSamples(key)} disabled={!live} title={live ? 'Ask the run for samples from its weights now' : elsewhere ? TRAINING_ELSEWHERE : 'Only a running or paused run can make new samples'}>
            New samples
          </button>
        )}
      </div>
      {samples.kind === 'images' && (
        <ImageGrid batch={samples.images} columns={4} limit={16} label={`Generated images, epoch ${entry.epoch}`} onOpen={() => setEnlarged(true)} />
      )}
      {samples.kind === 'reconstructions' && (
        <>
          <h3>Originals</h3>
          <ImageGrid batch={samples.originals} columns={4} limit={8} label="Original test images" onOpen={() => setEnlarged(true)} />
          <h3>Rebuilt by the network</h3>
          <ImageGrid batch={samples.reconstructions} columns={4} limit={8} label={`Reconstructions, epoch ${entry.epoch}`} onOpen={() => setEnlarged(true)} />
        </>
      )}
      {samples.kind !== 'text' && (
        <button className="link-button" onClick={() => setEnlarged(true)}>
          Enlarge{samples.kind === 'images' && samples.images.count > 16 ? ` (all ${samples.images.count})` : ''}
        </button>
      )}
      {enlarged && samples.kind !== 'text' && <SamplesDialog samples={samples} epoch={entry.epoch} onClose={() => setEnlarged(false)} />}
      {samples.kind === 'text' && <TextSample runKey={key} seed={samples.seed} text={samples.text} temperature={samples.temperature} live={live} />}
    </div>
  );
}
