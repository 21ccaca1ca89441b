import { ChoiceSetting } from './ChoiceSetting';
import { LossSettings } from './LossSettings';
import { TextSetting } from './TextSetting';
import { BACKEND_CHOICES } from '../../../shared/api/contract';
import { useGraphStore } from '../../stores/graphStore';
import { THREADED_BACKENDS, type DraftField } from '../../stores/runDraft';
import { useRunDraftStore, type RunForm } from '../../stores/runDraftStore';

const SCHEDULES = ['constant', 'step', 'cosine'] as const;
const SCHEDULE_LABELS = { constant: 'Constant', step: 'Step down every N epochs', cosine: 'Cosine, down to a fraction' };
const VALIDATIONS = ['test', 'split'] as const;
const VALIDATION_LABELS = { test: "The dataset's test split", split: 'A fraction of the training data' };
const EARLY = ['off', 'on'] as const;
const EARLY_LABELS = { off: 'Off', on: 'Stop when validation loss stalls' };
const BACKEND_LABELS = { auto: 'Automatic', tensorflow: 'TensorFlow', webgpu: 'WebGPU (the GPU)', wasm: 'WebAssembly', cpu: 'Plain JavaScript', pytorch: 'PyTorch (Python)' };

/** The settings people change less often, folded away so the panel stays readable. */
export function MoreSettings({ form }: { form: RunForm }) {
  const { values, defaults } = form;
  const errors = form.built.ok ? {} : form.built.errors;
  const task = useGraphStore((s) => s.meta.training.task);
  const setValue = useRunDraftStore((s) => s.setValue);
  const hasError = Object.keys(errors).some((k) => !['epochs', 'batchSize', 'learningRate', 'momentum', 'weightDecay'].includes(k));
  const text = (field: DraftField, testId: string, extra: { help?: string; placeholder?: string } = {}) => (
    <TextSetting field={field} value={values[field]} defaultValue={defaults[field]} error={errors[field]} testId={testId} {...extra} />
  );
  const choice = (field: DraftField, options: readonly string[], labels: Record<string, string>, testId: string) => (
    <ChoiceSetting field={field} value={values[field]} defaultValue={defaults[field]} options={options} labels={labels} testId={testId} error={errors[field]} />
  );
  return (
    // Open by itself when a folded setting is wrong, so the message that blocks Train is seen.
    <details className="advanced more-settings" open={hasError || undefined}>
      <summary>More settings</summary>
      {choice('scheduleKind', SCHEDULES, SCHEDULE_LABELS, 'schedule')}
      {values.scheduleKind === 'step' && (
        <div className="setting-pair">
          {text('scheduleEvery', 'schedule-every')}
          {text('scheduleFactor', 'schedule-factor')}
        </div>
      )}
      {values.scheduleKind === 'cosine' && text('scheduleMinFactor', 'schedule-min-factor', { help: 'the rate ends at this fraction of itself' })}
      {choice('validationKind', VALIDATIONS, VALIDATION_LABELS, 'validation')}
      {values.validationKind === 'split' && text('validationFraction', 'validation-fraction', { help: 'held back from training, up to 0.5' })}
      <LossSettings form={form} />
      <div className="setting setting-check">
        <label>
          <input type="checkbox" checked={values.accuracy === 'true'} onChange={(e) => setValue('accuracy', String(e.target.checked))} data-testid="metric-accuracy" />
          Measure accuracy
        </label>
      </div>
      {choice('earlyStopping', EARLY, EARLY_LABELS, 'early-stopping')}
      {values.earlyStopping === 'on' && text('patience', 'patience', { help: 'epochs without improvement before stopping' })}
      {text('seed', 'seed', { help: 'same seed, same shuffles and starting weights' })}
      {choice('backend', BACKEND_CHOICES, BACKEND_LABELS, 'backend-choice')}
      {THREADED_BACKENDS.includes(values.backend) && text('threads', 'threads', { help: 'empty: as many as train this network fastest, up to every core', placeholder: 'all' })}
      {task === 'language-model' && text('temperature', 'temperature', { help: 'low is safe and repetitive, high is wild' })}
      {text('samplesPerEpoch', 'samples-per-epoch', { help: 'empty: the whole training split', placeholder: 'all' })}
      {text('maxBatches', 'max-batches', { help: 'empty: as many as the examples make', placeholder: 'all' })}
    </details>
  );
}
