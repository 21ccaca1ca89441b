import { DATASETS, TASKS } from '../../../shared/project/schema';
import { DATASET_INFO, TASK_HELP, TASK_LABELS } from '../../stores/datasets';
import { useGraphStore } from '../../stores/graphStore';

/** What the network learns from which data: the project's own defaults, saved with it. */
export function TaskPicker() {
  const dataset = useGraphStore((s) => s.meta.training.dataset);
  const task = useGraphStore((s) => s.meta.training.task);
  const setTraining = useGraphStore((s) => s.setTraining);
  const fits = DATASET_INFO[dataset].tasks.includes(task);
  return (
    <>
      <div className="setting">
        <label htmlFor="setting-dataset">Dataset</label>
        <select id="setting-dataset" data-testid="dataset" value={dataset} onChange={(e) => setTraining({ dataset: e.target.value as (typeof DATASETS)[number] })}>
          {DATASETS.map((d) => (
            <option key={d} value={d}>
              {DATASET_INFO[d].label}
            </option>
          ))}
        </select>
      </div>
      <div className="setting">
        <label htmlFor="setting-task">Task</label>
        <select id="setting-task" data-testid="task" value={task} title={TASK_HELP[task]} onChange={(e) => setTraining({ task: e.target.value as (typeof TASKS)[number] })}>
          {TASKS.map((t) => (
            <option key={t} value={t}>
              {TASK_LABELS[t]}
            </option>
          ))}
        </select>
        <div className={fits ? 'setting-help' : 'setting-error'}>
          {fits ? TASK_HELP[task] : `${TASK_LABELS[task]} does not work on ${DATASET_INFO[dataset].label}; it does on ${DATASETS.filter((d) => DATASET_INFO[d].tasks.includes(task)).map((d) => DATASET_INFO[d].label).join(', ')}.`}
        </div>
      </div>
    </>
  );
}
