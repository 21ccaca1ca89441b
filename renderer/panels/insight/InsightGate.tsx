import type { ReactNode } from 'react';
import { insightBlocker, reloadInfo, useInsightRun, useInsightStore } from '../../stores/insightStore';
import { useCurrentRun } from '../../stores/trainingStore';

/**
 * What the Evaluate and Explain tabs show until the current run can be looked at: why not
 * (no run, still training), that it is being opened, or why it could not be; then the tab.
 */
export function InsightGate({ children, name }: { children: ReactNode; name: string }) {
  useInsightRun();
  const blocker = useCurrentRun((run) => insightBlocker(run));
  const loading = useInsightStore((s) => s.loadingInfo);
  const error = useInsightStore((s) => s.infoError);
  const ready = useInsightStore((s) => s.info !== null && s.run !== null);
  let body: ReactNode = children;
  if (blocker) body = <p className="data-hint insight-blocker">{blocker}</p>;
  else if (error)
    body = (
      <div className="training-error insight-error" role="alert">
        <p>The run could not be opened: {error}</p>
        <button onClick={reloadInfo}>Try again</button>
      </div>
    );
  else if (loading || !ready) body = <p className="data-loading">Opening the run’s network and data…</p>;
  return (
    <div className="insight-panel" data-testid={`${name}-panel`}>
      {body}
    </div>
  );
}
