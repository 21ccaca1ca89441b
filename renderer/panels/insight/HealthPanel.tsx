import { useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { GradientNormChart } from './GradientNormChart';
import { HealthHistogram } from './HealthHistogram';
import { layerNames, layerWarnings } from './healthRules';
import './health.css';
import { api } from '../../api';
import { errorText } from '../../stores/uiStore';
import { healthEpochSchema, type HealthEpoch, type RunRef } from '../../../shared/api/insight';

const healthResultSchema = z.object({ epochs: z.array(healthEpochSchema) });

/** `runs.health`, its answer checked against its schema here: the contract's list of methods does not carry it. */
async function requestHealth(run: RunRef): Promise<HealthEpoch[]> {
  const request = api.request.bind(api) as (method: string, params: unknown) => Promise<unknown>;
  return healthResultSchema.parse(await request('runs.health', { run })).epochs;
}

type Loaded = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; epochs: HealthEpoch[] };

/** The run's recorded health, asked for again when the run changes; a late answer for another run is dropped. */
function useHealth(run: RunRef): Loaded {
  const key = JSON.stringify(run);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    requestHealth(JSON.parse(key) as RunRef).then(
      (epochs) => current && setLoaded({ state: 'ready', epochs }),
      (err: unknown) => current && setLoaded({ state: 'failed', message: errorText(err) }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return loaded;
}

/**
 * Training health of a run: each layer's gradient norm over the epochs, the layers that do
 * not learn well in words, and one layer's weights and gradients at one epoch as histograms.
 */
export function HealthPanel({ run }: { run: RunRef }) {
  const loaded = useHealth(run);
  const epochs = loaded.state === 'ready' ? loaded.epochs : [];
  const names = useMemo(() => layerNames(epochs), [epochs]);
  const warnings = useMemo(() => layerWarnings(epochs), [epochs]);
  const [chosenLayer, setLayer] = useState<string | null>(null);
  const [chosenEpoch, setEpoch] = useState<number | null>(null);
  const layer = chosenLayer !== null && names.includes(chosenLayer) ? chosenLayer : (names[0] ?? null);
  const epochIndex = chosenEpoch !== null && chosenEpoch < epochs.length ? chosenEpoch : epochs.length - 1;
  const epoch = epochs[epochIndex];
  const entry = epoch?.layers.find((l) => l.name === layer);

  return (
    <section className="health-panel" data-testid="health-panel" data-epochs={epochs.length}>
      <h2>Training health</h2>
      {loaded.state === 'loading' && <p className="muted">Reading the run’s training health…</p>}
      {loaded.state === 'failed' && (
        <p className="health-error" role="alert">
          Could not read the training health: {loaded.message}
        </p>
      )}
      {loaded.state === 'ready' && epochs.length === 0 && (
        <p className="muted">This run has no training health recorded: it is kept for runs trained by this version of NetCanvas, one entry per finished epoch.</p>
      )}
      {epochs.length > 0 && (
        <>
          <h3>Gradient norm of each layer, by epoch (log scale)</h3>
          <GradientNormChart epochs={epochs} />
          {warnings.length === 0 ? (
            <p className="health-ok" data-testid="health-ok">
              Every layer’s gradient is in a healthy range at epoch {epochs.at(-1)!.epoch}.
            </p>
          ) : (
            <ul className="health-warnings">
              {warnings.map((w) => (
                <li key={w.layer} className={`health-warning ${w.status}`} data-testid="health-warning" data-layer={w.layer} data-status={w.status}>
                  <span className="health-badge">{w.status}</span> {w.message}
                </li>
              ))}
            </ul>
          )}
          <div className="health-controls">
            <label>
              Layer{' '}
              <select data-testid="health-layer" value={layer ?? ''} onChange={(e) => setLayer(e.target.value)}>
                {names.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Epoch {epoch?.epoch}{' '}
              <input
                type="range"
                data-testid="health-epoch"
                min={0}
                max={epochs.length - 1}
                step={1}
                value={epochIndex}
                disabled={epochs.length < 2}
                onChange={(e) => setEpoch(Number(e.target.value))}
              />
            </label>
          </div>
          {entry ? (
            <div className="health-histograms">
              <HealthHistogram title="Weights" histogram={entry.weights} norm={entry.weightNorm} color="#1d4ed8" testId="weight-histogram" />
              <HealthHistogram title="Gradients" histogram={entry.gradients} norm={entry.gradientNorm} color="#b45309" testId="gradient-histogram" />
            </div>
          ) : (
            <p className="muted">{layer} was not recorded at epoch {epoch?.epoch}.</p>
          )}
        </>
      )}
    </section>
  );
}
