import { GeneratorTry } from './GeneratorTry';
import { ImageTry } from './ImageTry';
import { PromptTry } from './PromptTry';
import { TableForm } from './TableForm';
import { TextTry } from './TextTry';
import { ExamplePicker } from './ExamplePicker';
import { TryAnswer } from './TryAnswer';
import { insightBlocker, reloadInfo, setInput, useInsightRun, useInsightStore } from '../../stores/insightStore';
import { useCurrentRun } from '../../stores/trainingStore';
import type { InsightInfo } from '../../../shared/api/insight';
import './try.css';

/** The way to try the network that fits what it takes and gives. */
function TryFor({ info }: { info: InsightInfo }) {
  if (info.task === 'gan' || info.input === 'noise') return <GeneratorTry />;
  if (info.task === 'language-model' || info.input === 'corpus') return <PromptTry />;
  if (info.input === 'images') return <ImageTry info={info} />;
  if (info.input === 'text') return <TextTry info={info} />;
  if (info.input === 'table') return <TableForm info={info} />;
  // Sequences of numbers: nothing to draw or type, but its examples.
  return (
    <div className="try-sequence">
      <div className="try-inputs">
        <ExamplePicker count={info.testCount} onPick={(index) => setInput({ kind: 'example', split: 'test', index }, `Test example ${index}`)} />
      </div>
      <TryAnswer />
    </div>
  );
}

/** The Try tab: give the current run's trained network an input of one's own and see its answer. */
export function TryPanel() {
  useInsightRun();
  const blocker = useCurrentRun((run) => insightBlocker(run));
  const runNumber = useCurrentRun((run) => run?.number ?? null);
  const info = useInsightStore((s) => s.info);
  const loading = useInsightStore((s) => s.loadingInfo);
  const error = useInsightStore((s) => s.infoError);

  let body;
  if (blocker) body = <p className="try-blocker" data-testid="insight-blocker">{blocker}</p>;
  else if (error) {
    body = (
      <p className="setting-error" role="alert">
        The run could not be opened: {error}{' '}
        <button className="link-button" onClick={reloadInfo}>
          Try again
        </button>
      </p>
    );
  } else if (!info || loading) body = <p className="muted">Opening the run’s network…</p>;
  else {
    body = (
      <>
        <p className="try-about muted" data-testid="try-about">
          Run {runNumber}, with the weights of its {info.checkpoint === 'best' ? 'best' : 'last'} epoch. The Runs list chooses the run.
        </p>
        <TryFor key={info.runId} info={info} />
      </>
    );
  }

  return (
    <section className="try-panel" aria-label="Try the network" data-testid="try-panel">
      {body}
    </section>
  );
}
