import { TASKS, type Task } from '../../../shared/project/schema';
import { switchTask } from '../../stores/dataActions';
import { useCurrentReport, useDataStore } from '../../stores/dataStore';
import { datasetLabel, TASK_HELP, TASK_LABELS } from '../../stores/datasets';
import { useGraphStore } from '../../stores/graphStore';
import { useUiStore } from '../../stores/uiStore';
import { toSource } from '../../../shared/data/source';
import type { DatasetKind } from '../../../shared/data/report';
import { DatasetPicker } from '../data/DatasetPicker';
import { useDataFit } from '../data/useDataFit';

const KIND_WORDS: Record<DatasetKind, string> = { images: 'images', table: 'table', sequence: 'time series', text: 'text', corpus: 'text' };

/** What the network learns from which data: the project's own defaults, saved with it. */
export function TaskPicker() {
  const dataset = useGraphStore((s) => s.meta.training.dataset);
  const task = useGraphStore((s) => s.meta.training.task);
  const builtins = useDataStore((s) => s.builtins);
  const report = useCurrentReport();
  const fit = useDataFit();
  const showData = () => useUiStore.getState().showView('data');
  const inDataView = useUiStore((s) => s.trainingView === 'data');

  const source = toSource(dataset);
  const info = source.kind === 'builtin' ? builtins?.find((b) => b.id === source.id) : undefined;
  const name = info?.name ?? report?.name ?? datasetLabel(dataset, builtins);
  const kind = info?.kind ?? report?.kind;
  const tasks = info?.tasks ?? (report && report.samples > 0 ? report.tasks : null);
  const fits = !tasks || tasks.includes(task);
  const matching = (builtins ?? []).filter((b) => b.available && b.tasks.includes(task)).map((b) => b.name);
  const others = matching.length > 3 ? [...matching.slice(0, 3), `${matching.length - 3} more`] : matching;
  const misfits = fit.state === 'checked' && fits ? fit.problems.length : 0;

  return (
    <>
      <div className="setting">
        <label htmlFor="setting-dataset">Dataset</label>
        <DatasetPicker />
        {info && !info.available ? (
          <div className="setting-error">{info.note}</div>
        ) : misfits > 0 ? (
          <button className="link-button setting-help fit-link" onClick={showData} data-testid="fit-link">
            The network does not fit this data ({misfits}): see Data
          </button>
        ) : inDataView ? null : (
          <button className="link-button setting-help" onClick={showData}>
            Look at the data
          </button>
        )}
      </div>
      <div className="setting">
        <label htmlFor="setting-task">Task</label>
        <select id="setting-task" data-testid="task" value={task} title={TASK_HELP[task]} onChange={(e) => switchTask(e.target.value as Task)}>
          {TASKS.map((t) => (
            <option key={t} value={t}>
              {TASK_LABELS[t]}
            </option>
          ))}
        </select>
        <div className={fits ? 'setting-help' : 'setting-error'}>
          {fits
            ? TASK_HELP[task]
            : `${TASK_LABELS[task]} does not work on ${name}${kind ? ` (${KIND_WORDS[kind]})` : ''}${others.length > 0 ? `; it does on ${others.join(', ')}` : ''}.`}
        </div>
      </div>
    </>
  );
}
