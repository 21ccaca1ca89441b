import type { ReactNode } from 'react';
import { MetricsChart } from '../charts/MetricsChart';
import { DataPanel } from './data/DataPanel';
import { EvaluatePanel } from './insight/EvaluatePanel';
import { ExplainPanel } from './insight/ExplainPanel';
import { TryPanel } from './insight/TryPanel';
import { useDataFit } from './data/useDataFit';
import { Progress } from './training/Progress';
import { RunSettings } from './training/RunSettings';
import { TrainingControls } from './training/TrainingControls';
import { TrainingMessages } from './training/TrainingMessages';
import { TrainingSide } from './training/TrainingSide';
import { useCurrentReport } from '../stores/dataStore';
import { useRunForm } from '../stores/runDraftStore';
import { useUiStore, type TrainingView } from '../stores/uiStore';

/** Training or Data: the Data tab carries a count of what needs looking at. */
function ViewTabs() {
  const view = useUiStore((s) => s.trainingView);
  const showView = useUiStore((s) => s.showView);
  const fit = useDataFit();
  const report = useCurrentReport();
  const misfits = fit.state === 'checked' ? fit.problems.length : 0;
  const problems = report?.problems.length ?? 0;
  const tab = (id: TrainingView, label: ReactNode) => (
    <button role="tab" id={`view-${id}`} aria-selected={view === id} aria-controls="training-view" onClick={() => showView(id)} data-testid={`view-${id}`}>
      {label}
    </button>
  );
  return (
    <div className="tabs view-tabs" role="tablist" aria-label="Training area">
      {tab('training', 'Training')}
      {tab(
        'data',
        <>
          Data
          {misfits > 0 && (
            <span className="tab-badge bad" title={`The network does not fit the data in ${misfits} way${misfits === 1 ? '' : 's'}`}>
              {misfits}
            </span>
          )}
          {problems > 0 && (
            <span className="tab-badge warn" title={`${problems} problem${problems === 1 ? '' : 's'} in the data's files`}>
              {problems}
            </span>
          )}
        </>,
      )}
      {tab('try', 'Try')}
      {tab('evaluate', 'Evaluate')}
      {tab('explain', 'Explain')}
    </div>
  );
}

/** The current run's trained network: try it, evaluate it, look inside it. */
function InsightView({ view }: { view: 'try' | 'evaluate' | 'explain' }) {
  return (
    <div className="insight-view" id="training-view" role="tabpanel" aria-labelledby={`view-${view}`}>
      {view === 'try' ? <TryPanel /> : view === 'evaluate' ? <EvaluatePanel /> : <ExplainPanel />}
    </div>
  );
}

/** Settings, controls and progress of training; beside them the run's charts and runs, or its data. */
export function TrainingPanel() {
  const form = useRunForm();
  const view = useUiStore((s) => s.trainingView);
  return (
    <div className={`training-body view-${view}`}>
      <div className="training-top">
        <TrainingControls form={form} />
        <Progress />
        <TrainingMessages />
      </div>
      <RunSettings form={form} />
      <ViewTabs />
      {view === 'training' ? (
        <>
          <MetricsChart />
          <TrainingSide />
        </>
      ) : view === 'data' ? (
        <DataPanel form={form} />
      ) : (
        <InsightView view={view} />
      )}
    </div>
  );
}
