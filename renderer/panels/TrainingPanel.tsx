import { MetricsChart } from '../charts/MetricsChart';
import { Progress } from './training/Progress';
import { RunSettings } from './training/RunSettings';
import { TrainingControls } from './training/TrainingControls';
import { TrainingMessages } from './training/TrainingMessages';
import { TrainingSide } from './training/TrainingSide';
import { useRunForm } from '../stores/runDraftStore';

/** Settings, controls, progress and charts of training; the runs of the session beside them. */
export function TrainingPanel() {
  const form = useRunForm();
  return (
    <section className="training" aria-label="Training">
      <div className="training-top">
        <TrainingControls form={form} />
        <Progress />
        <TrainingMessages />
      </div>
      <RunSettings form={form} />
      <MetricsChart />
      <TrainingSide />
    </section>
  );
}
