import { useShallow } from 'zustand/react/shallow';
import { ChoiceSetting } from './ChoiceSetting';
import { LOSSES } from '../../../shared/project/schema';
import { useGraphStore } from '../../stores/graphStore';
import { useRunDraftStore, type RunForm } from '../../stores/runDraftStore';

export const LOSS_LABELS: Record<(typeof LOSSES)[number], string> = {
  categoricalCrossentropy: 'Categorical cross-entropy',
  sparseCategoricalCrossentropy: 'Sparse categorical cross-entropy',
  binaryCrossentropy: 'Binary cross-entropy',
  meanSquaredError: 'Mean squared error',
  meanAbsoluteError: 'Mean absolute error',
  huber: 'Huber',
};

/** One loss for the network, or one per output when it has several. */
export function LossSettings({ form }: { form: RunForm }) {
  const setOutputLoss = useRunDraftStore((s) => s.setOutputLoss);
  const names = useGraphStore(useShallow((s) => form.lossOutputs.map((id) => s.graph.nodes.find((n) => n.id === id)?.name ?? id)));
  if (form.lossOutputs.length === 0) {
    return <ChoiceSetting field="loss" value={form.values.loss} defaultValue={form.defaults.loss} options={LOSSES} labels={LOSS_LABELS} testId="loss" />;
  }
  return (
    <fieldset className="setting-group">
      <legend>Loss per output</legend>
      {form.lossOutputs.map((id, i) => {
        return (
          <div className="setting" key={id}>
            <label htmlFor={`setting-loss-${id}`}>{names[i]}</label>
            <select id={`setting-loss-${id}`} data-testid={`loss-${id}`} value={form.losses[id] ?? form.values.loss} onChange={(e) => setOutputLoss(id, e.target.value)}>
              {LOSSES.map((l) => (
                <option key={l} value={l}>
                  {LOSS_LABELS[l]}
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </fieldset>
  );
}
