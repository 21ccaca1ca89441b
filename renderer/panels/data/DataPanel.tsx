import { AugmentationSettings } from './AugmentationSettings';
import { ClassBalance } from './ClassBalance';
import { ColumnsTable } from './ColumnsTable';
import { DataFit } from './DataFit';
import { DataProblems } from './DataProblems';
import { DataRefused } from './DataRefused';
import { DataSamples } from './DataSamples';
import { DataSummary } from './DataSummary';
import { isRefusal } from './refusal.js';
import { SourceSettings } from './SourceSettings';
import { useDataFit } from './useDataFit';
import { refreshData, useCurrentReport, useDataStore } from '../../stores/dataStore';
import { datasetLabel, KIND_LABELS } from '../../stores/datasets';
import { useGraphStore } from '../../stores/graphStore';
import type { RunForm } from '../../stores/runDraftStore';
import { toSource } from '../../../shared/data/source';

/**
 * The project's data: where it comes from and how it is read, what it holds, a few
 * examples, what was wrong with the files, and where the network does not fit it.
 */
export function DataPanel({ form }: { form: RunForm }) {
  const dataset = useGraphStore((s) => s.meta.training.dataset);
  const builtins = useDataStore((s) => s.builtins);
  const ownKind = useDataStore((s) => s.ownKind);
  const loading = useDataStore((s) => s.loading);
  const error = useDataStore((s) => s.error);
  const errorCode = useDataStore((s) => s.errorCode);
  const preview = useDataStore((s) => s.preview);
  const report = useCurrentReport();
  const fit = useDataFit();
  const source = toSource(dataset);
  const root = source.kind === 'builtin' ? null : source.path;
  const waitingForPath = ownKind !== null;
  const builtin = source.kind === 'builtin' ? builtins?.find((b) => b.id === source.id) : undefined;
  const name = waitingForPath ? 'Your own data' : (builtin?.name ?? report?.name ?? datasetLabel(dataset, builtins));
  const readable = report !== null && report.samples > 0;
  // The Backend's refusal of this path, said in the panel in place of examples; other errors (a request it could not check) are the request's own.
  const refused = error !== null && isRefusal(errorCode) && !waitingForPath ? error : null;

  return (
    <section className="data-panel" aria-label="Data" data-testid="data-panel">
      <header className="data-header">
        <h2 data-testid="data-name">{name}</h2>
        {report && !waitingForPath && (
          <span className="muted">
            {KIND_LABELS[report.kind]} · {report.samples.toLocaleString('en-US')} examples
          </span>
        )}
        {loading && !waitingForPath && <span className="data-loading">Reading the data…</span>}
        {!loading && !waitingForPath && (!error || refused) && (
          <button className="link-button" title="Read the files again, after you have changed them" onClick={() => void refreshData()}>
            Read again
          </button>
        )}
        {error && !refused && (
          <span className="setting-error data-error" role="alert">
            The data could not be asked for: {error}{' '}
            <button className="link-button" onClick={() => void refreshData()}>
              Try again
            </button>
          </span>
        )}
      </header>
      {!waitingForPath && <DataFit fit={fit} />}
      <div className="data-columns">
        <div className="data-col data-source">
          <h3>Source</h3>
          <SourceSettings report={report} />
          {report?.kind === 'images' && readable && !waitingForPath && <AugmentationSettings />}
          {report && !waitingForPath && readable && (
            <>
              <h3>Summary</h3>
              <DataSummary report={report} form={form} />
            </>
          )}
        </div>
        <div className="data-col data-examples">
          {waitingForPath ? (
            <p className="data-hint">Type the path of your file or folder under Source: its examples show here as soon as it reads.</p>
          ) : refused ? (
            <DataRefused source={source.kind === 'builtin' ? null : source} code={errorCode} message={refused} />
          ) : !report ? (
            <p className="data-hint">Reading {name}…</p>
          ) : !readable ? (
            <div className="data-unreadable" data-testid="data-unreadable">
              <strong>No examples could be read from {name}.</strong> The problems below say why.
            </div>
          ) : (
            <>
              <h3>Examples</h3>
              {preview && <div className={loading ? 'data-stale' : undefined}>{<DataSamples preview={preview} />}</div>}
            </>
          )}
          {!waitingForPath && report && !readable && report.problems.length > 0 && <DataProblems problems={report.problems} root={root} />}
        </div>
        {!waitingForPath && readable && (
          <div className="data-col data-side">
            {report.problems.length > 0 && (
              <>
                <h3 className="problems-title">
                  {report.problems.length} problem{report.problems.length === 1 ? '' : 's'} in the files <span className="muted">(the rest loaded)</span>
                </h3>
                <DataProblems problems={report.problems} root={root} />
              </>
            )}
            {report.classes && report.classCounts && (
              <>
                <h3 title="Training examples per class">Class balance</h3>
                <ClassBalance classes={report.classes} counts={report.classCounts} />
              </>
            )}
            {report.columns.length > 0 && (
              <>
                <h3>Columns</h3>
                <ColumnsTable columns={report.columns} />
              </>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
