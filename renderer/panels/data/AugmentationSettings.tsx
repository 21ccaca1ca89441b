import { NumberField } from './NumberField';
import { setTraining, useGraphStore } from '../../stores/graphStore';
import { augments, augmentationSchema, type Augmentation } from '../../../shared/data/source';

const OFF: Augmentation = augmentationSchema.parse({});

/** Random changes to training images, so the network sees more variety; the preview shows their effect. */
export function AugmentationSettings() {
  const saved = useGraphStore((s) => s.meta.training.augmentation);
  const value = saved ?? OFF;
  const set = (patch: Partial<Augmentation>) => {
    const next = { ...value, ...patch };
    // Nothing on is no augmentation at all, and the project file says nothing of it. A slider
    // dragged is one step of history per setting.
    setTraining({ augmentation: augments(next) ? next : undefined }, `augmentation:${Object.keys(patch).join(',')}`);
  };
  return (
    <fieldset className="setting-group augmentation" data-testid="augmentation">
      <legend>Augmentation</legend>
      <p className="setting-help augmentation-help">Random changes to training images; test images stay as they are.</p>
      <div className="setting setting-check">
        <label>
          <input type="checkbox" checked={value.flip} onChange={(e) => set({ flip: e.target.checked })} data-testid="augment-flip" />
          Flip left to right (not for digits or letters)
        </label>
      </div>
      <NumberField label="Shift" value={value.shift} min={0} max={0.5} step={0.01} slider help="up to this fraction of the size" onChange={(shift) => set({ shift })} testId="augment-shift" />
      <NumberField label="Rotate" value={value.rotate} min={0} max={180} step={1} slider help="up to this many degrees either way" onChange={(rotate) => set({ rotate })} testId="augment-rotate" />
      <NumberField label="Noise" value={value.noise} min={0} max={1} step={0.01} slider help="random speckle added to the pixels" onChange={(noise) => set({ noise })} testId="augment-noise" />
    </fieldset>
  );
}
