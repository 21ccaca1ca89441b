import { useEffect, useState } from 'react';
import { RunsList } from './RunsList';
import { SamplesPanel } from './SamplesPanel';
import { useCurrentRun, useTrainingStore } from '../../stores/trainingStore';

type Tab = 'runs' | 'samples';

/** The runs of the session, and what the current run makes; samples come forward when they first arrive. */
export function TrainingSide() {
  const [tab, setTab] = useState<Tab>('runs');
  const runCount = useTrainingStore((s) => s.order.length);
  const key = useCurrentRun((run) => run?.key ?? null);
  const hasSamples = useCurrentRun((run) => (run?.samples.length ?? 0) > 0);
  useEffect(() => {
    if (hasSamples) setTab('samples');
  }, [key, hasSamples]);
  return (
    <div className="training-side">
      <div className="tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'runs'} onClick={() => setTab('runs')}>
          Runs{runCount > 0 ? ` (${runCount})` : ''}
        </button>
        <button role="tab" aria-selected={tab === 'samples'} onClick={() => setTab('samples')}>
          Samples
        </button>
      </div>
      <div className="tab-body" role="tabpanel">
        {tab === 'runs' ? <RunsList /> : <SamplesPanel />}
      </div>
    </div>
  );
}
