import { ChoiceSetting } from './ChoiceSetting';
import { GanRoles } from './GanRoles';
import { MoreSettings } from './MoreSettings';
import { TaskPicker } from './TaskPicker';
import { TextSetting } from './TextSetting';
import { OPTIMIZERS } from '../../../shared/project/schema';
import { useRunDraftStore, type RunForm } from '../../stores/runDraftStore';

/** The saved weights the next run starts from, when chosen in the Runs list, with a way back to fresh weights. */
function StartFromSetting() {
  const startFrom = useRunDraftStore((s) => s.startFrom);
  if (!startFrom) return null;
  return (
    <p className="start-from" data-testid="start-from">
      {/* An imported run's label already says whose weights they are: "Weights from model.json". */}
      {/^Weights from /.test(startFrom.label) ? `Starts from the w${startFrom.label.slice(1)} (in ${startFrom.projectName})` : `Starts from the weights of ${startFrom.label} of ${startFrom.projectName}`}: layers with the same name and shapes take them, the others start fresh.{' '}
      <button className="link-button" onClick={() => useRunDraftStore.getState().setStartFrom(null)}>
        Start fresh instead
      </button>
    </p>
  );
}

export const OPTIMIZER_LABELS: Record<(typeof OPTIMIZERS)[number], string> = {
  sgd: 'SGD',
  momentum: 'SGD + momentum',
  adam: 'Adam',
  adamw: 'AdamW',
  rmsprop: 'RMSprop',
};

/** Every setting of the next run: the everyday ones in view, the rest under "More settings". */
export function RunSettings({ form }: { form: RunForm }) {
  const { values, defaults } = form;
  const errors = form.built.ok ? {} : form.built.errors;
  const text = (field: Parameters<typeof TextSetting>[0]['field'], testId: string) => (
    <TextSetting field={field} value={values[field]} defaultValue={defaults[field]} error={errors[field]} testId={testId} />
  );
  return (
    <div className="run-settings" aria-label="Run settings">
      <StartFromSetting />
      <TaskPicker />
      <GanRoles />
      {text('epochs', 'epochs')}
      {text('batchSize', 'batch-size')}
      <ChoiceSetting field="optimizer" value={values.optimizer} defaultValue={defaults.optimizer} options={OPTIMIZERS} labels={OPTIMIZER_LABELS} testId="optimizer" />
      {text('learningRate', 'learning-rate')}
      {values.optimizer === 'momentum' && text('momentum', 'momentum')}
      {values.optimizer === 'adamw' && text('weightDecay', 'weight-decay')}
      <MoreSettings form={form} />
    </div>
  );
}
