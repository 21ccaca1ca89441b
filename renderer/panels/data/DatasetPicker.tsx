import { useDataStore } from '../../stores/dataStore';
import { BUILTIN_GROUPS } from '../../stores/datasets';
import { setTraining, useGraphStore } from '../../stores/graphStore';
import { useUiStore } from '../../stores/uiStore';
import { toSource, type BuiltinDatasetId } from '../../../shared/data/source';

export const OWN = 'own';

/** The picker's value: a built-in's id, or OWN for the user's file or folder. */
export function usePickedDataset(): string {
  const dataset = useGraphStore((s) => s.meta.training.dataset);
  const ownKind = useDataStore((s) => s.ownKind);
  if (ownKind) return OWN;
  const source = toSource(dataset);
  return source.kind === 'builtin' ? source.id : OWN;
}

/** The dataset select: the built-ins in groups, those not on this machine greyed out, and the user's own data. */
export function DatasetPicker() {
  const builtins = useDataStore((s) => s.builtins);
  const value = usePickedDataset();
  const dataset = useGraphStore((s) => s.meta.training.dataset);

  const choose = (next: string) => {
    const { setOwnKind } = useDataStore.getState();
    if (next === OWN) {
      // Already the user's own data: its form shows as it is.
      setOwnKind(toSource(dataset).kind === 'builtin' ? 'csv' : null);
    } else {
      setOwnKind(null);
      setTraining({ dataset: next as BuiltinDatasetId });
    }
    // What was picked is worth a look: the data's view opens beside the settings.
    useUiStore.getState().showView('data');
  };

  return (
    <select id="setting-dataset" data-testid="dataset" value={value} onChange={(e) => choose(e.target.value)}>
      {BUILTIN_GROUPS.map((group) => (
        <optgroup key={group.label} label={group.label}>
          {group.ids.map((id) => {
            const info = builtins?.find((b) => b.id === id);
            const missing = info ? !info.available : false;
            return (
              <option key={id} value={id} disabled={missing && id !== value} title={missing ? info?.note : info?.description}>
                {info?.name ?? id}
                {missing ? ' (not installed)' : ''}
              </option>
            );
          })}
        </optgroup>
      ))}
      <optgroup label="Your own">
        <option value={OWN}>Your own data…</option>
      </optgroup>
    </select>
  );
}
