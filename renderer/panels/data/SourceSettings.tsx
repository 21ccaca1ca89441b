import { useEffect, useId, useState } from 'react';
import { canChooseData, CHOOSE_KIND, chooseDataPath, withPath } from './chooseData';
import { NumberField } from './NumberField';
import { refreshData, useDataStore } from '../../stores/dataStore';
import { setTraining, useGraphStore } from '../../stores/graphStore';
import type { BuiltinInfo, ColumnInfo, DatasetReport } from '../../../shared/data/report';
import {
  csvSourceSchema,
  datasetSourceSchema,
  imageFolderSourceSchema,
  idxSourceSchema,
  MISSING_RULES,
  npySourceSchema,
  SYNTHETIC_DATASETS,
  textSourceSchema,
  toSource,
  type DatasetSource,
  type UserSource,
} from '../../../shared/data/source';

type Kind = UserSource['kind'];
type BuiltinSource = Extract<DatasetSource, { kind: 'builtin' }>;

export const OWN_KINDS: readonly { kind: Kind; label: string; help: string }[] = [
  { kind: 'csv', label: 'CSV / TSV table', help: 'A .csv or .tsv file: one example per row, the first row may name the columns.' },
  { kind: 'image-folder', label: 'Image folder', help: 'A folder with one sub-folder of PNG or JPEG images per class (or train/ and test/ folders that each have them).' },
  { kind: 'text', label: 'Text file(s)', help: 'A .txt file, or a folder of them, for a language model.' },
  { kind: 'idx', label: 'IDX files (MNIST format)', help: 'A folder of IDX files named like MNIST’s, or one images file.' },
  { kind: 'npy', label: 'NumPy .npy', help: 'An array whose first axis is the example, and optionally one of labels.' },
];

const MISSING_LABELS: Record<(typeof MISSING_RULES)[number], string> = {
  'drop-row': 'Leave the row out',
  mean: 'Use the column’s mean',
  zero: 'Use 0',
  'most-frequent': 'Use the most frequent value',
};

const SCHEMAS = { csv: csvSourceSchema, 'image-folder': imageFolderSourceSchema, text: textSourceSchema, idx: idxSourceSchema, npy: npySourceSchema };

/** A source of `kind` for `path`, every setting at its default. */
function freshSource(kind: Kind, path: string): UserSource {
  return SCHEMAS[kind].parse({ kind, path }) as UserSource;
}

/** Saves a changed source in the project, once it is one the Backend accepts; a typed path is one step of history. */
function save(source: DatasetSource): void {
  if (!datasetSourceSchema.safeParse(source).success) return;
  setTraining({ dataset: source }, 'dataset-source');
  useDataStore.getState().setOwnKind(null);
}

function Choice<T extends string>({ label, value, options, labels, onChange, testId }: { label: string; value: T; options: readonly T[]; labels: Record<T, string>; onChange(v: T): void; testId?: string }) {
  const id = useId();
  return (
    <div className="setting">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} data-testid={testId} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels[o]}
          </option>
        ))}
      </select>
    </div>
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <div className="setting setting-check">
      <label>
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
        {label}
      </label>
    </div>
  );
}

function TestFraction({ source }: { source: UserSource }) {
  return <NumberField label="Test fraction" value={source.testFraction} min={0} max={0.5} step={0.05} slider help="held out to measure the network, up to 0.5" onChange={(testFraction) => save({ ...source, testFraction })} testId="test-fraction" />;
}

type CsvSource = Extract<UserSource, { kind: 'csv' }>;
type FirstRow = 'auto' | 'names' | 'data';
type Separator = 'auto' | NonNullable<CsvSource['delimiter']>;

const FIRST_ROW_LABELS: Record<FirstRow, string> = { auto: 'Automatic', names: 'Column names', data: 'Data' };
const SEPARATOR_LABELS: Record<Separator, string> = { auto: 'Automatic', ',': 'Comma', '\t': 'Tab', ';': 'Semicolon' };

function CsvSettings({ source, report }: { source: CsvSource; report: DatasetReport | null }) {
  // The columns of this file's last reading that found some (the form is keyed by the path): a
  // setting that stops the file loading leaves them on screen, so the choice can be undone.
  const [lastGood, setLastGood] = useState<ColumnInfo[] | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const found = report && report.columns.length > 0 ? report.columns : null;
  useEffect(() => {
    if (found) setLastGood(found);
  }, [found]);
  // A refusal answers one click: any change saved since makes it old news.
  useEffect(() => setRefusal(null), [source]);
  const kept = found ? null : lastGood;
  const columns = found ?? kept ?? [];
  const target = source.target ?? columns.find((c) => c.role === 'target')?.name ?? columns[columns.length - 1]?.name ?? '';
  const isFeature = (name: string) => (source.features ? source.features.includes(name) : columns.find((c) => c.name === name)?.role === 'feature');
  const saveFeatures = (next: CsvSource, why: string) => {
    if (next.features?.length === 0) setRefusal(why);
    else save(next);
  };
  const toggle = (name: string, on: boolean) => {
    const features = columns.filter((c) => c.name !== target && (c.name === name ? on : isFeature(c.name))).map((c) => c.name);
    saveFeatures({ ...source, features }, `“${name}” is the only input left: the network needs at least one column to read, so tick another before clearing this one.`);
  };
  const chooseTarget = (name: string) =>
    saveFeatures(
      { ...source, target: name, ...(source.features ? { features: source.features.filter((f) => f !== name) } : {}) },
      `“${name}” is the only input: the network needs at least one column to read besides the one it predicts, so tick another input first.`,
    );
  const firstRow: FirstRow = source.header === undefined ? 'auto' : source.header ? 'names' : 'data';
  // Another first row or separator gives the columns other names: choices made by name would stop the file loading.
  const renamed = { target: undefined, features: undefined };
  return (
    <>
      <Choice
        label="First row"
        value={firstRow}
        options={['auto', 'names', 'data'] as const}
        labels={FIRST_ROW_LABELS}
        onChange={(row) => save({ ...source, ...renamed, header: row === 'auto' ? undefined : row === 'names' })}
        testId="csv-header"
      />
      <Choice
        label="Separator"
        value={source.delimiter ?? 'auto'}
        options={['auto', ',', '\t', ';'] as const}
        labels={SEPARATOR_LABELS}
        onChange={(separator) => save({ ...source, ...renamed, delimiter: separator === 'auto' ? undefined : separator })}
        testId="csv-delimiter"
      />
      {columns.length > 0 && (
        <>
          <Choice label="Predict column" value={target} options={columns.map((c) => c.name)} labels={Object.fromEntries(columns.map((c) => [c.name, `${c.name} (${c.type})`]))} onChange={chooseTarget} testId="csv-target" />
          <fieldset className="setting-group feature-checks" data-testid="csv-features">
            <legend>Inputs</legend>
            {columns
              .filter((c) => c.name !== target)
              .map((c) => (
                <label key={c.name}>
                  <input type="checkbox" checked={isFeature(c.name)} onChange={(e) => toggle(c.name, e.target.checked)} />
                  {c.name}
                </label>
              ))}
          </fieldset>
          {refusal && (
            <p className="setting-error" role="alert" data-testid="csv-features-refused">
              {refusal}
            </p>
          )}
          {kept && report && (
            <p className="setting-help" data-testid="csv-columns-kept">
              The file does not load with these settings; its columns are the ones it had when it last loaded.
            </p>
          )}
        </>
      )}
      <Choice label="Categories" value={source.categories} options={['one-hot', 'index'] as const} labels={{ 'one-hot': 'One input per value (one-hot)', index: 'The value’s number' }} onChange={(categories) => save({ ...source, categories })} />
      <Check label="Standardize number columns" checked={source.standardize} onChange={(standardize) => save({ ...source, standardize })} />
      <Choice label="Missing cells" value={source.missing} options={MISSING_RULES} labels={MISSING_LABELS} onChange={(missing) => save({ ...source, missing })} testId="csv-missing" />
      <TestFraction source={source} />
    </>
  );
}

function KindSettings({ source, report }: { source: UserSource; report: DatasetReport | null }) {
  switch (source.kind) {
    case 'csv':
      return <CsvSettings key={source.path} source={source} report={report} />;
    case 'image-folder':
      return (
        <>
          <div className="size-pair">
            <NumberField label="Height" value={source.size[0]} min={4} max={1024} integer onChange={(h) => save({ ...source, size: [h, source.size[1]] })} testId="image-height" />
            <NumberField label="Width" value={source.size[1]} min={4} max={1024} integer onChange={(w) => save({ ...source, size: [source.size[0], w] })} testId="image-width" />
          </div>
          <p className="setting-help size-help">Every image is resized to this many pixels.</p>
          <Choice label="Colour" value={source.color} options={['gray', 'rgb'] as const} labels={{ gray: 'Grey (1 channel)', rgb: 'Colour (3 channels)' }} onChange={(color) => save({ ...source, color })} testId="image-color" />
          <TestFraction source={source} />
        </>
      );
    case 'text':
      return (
        <>
          <Choice label="Read by" value={source.level} options={['char', 'word'] as const} labels={{ char: 'Character', word: 'Word' }} onChange={(level) => save({ ...source, level })} testId="text-level" />
          <NumberField label="Window" value={source.length} min={2} max={2000} integer help={`${source.level === 'char' ? 'characters' : 'words'} the model reads at once`} onChange={(length) => save({ ...source, length })} />
          <NumberField label="Stride" value={source.stride} min={1} max={2000} integer help="between the starts of two windows" onChange={(stride) => save({ ...source, stride })} />
          {source.level === 'word' && <NumberField label="Vocabulary" value={source.vocabulary} min={10} max={50000} integer help="words kept; the rest become one unknown word" onChange={(vocabulary) => save({ ...source, vocabulary })} />}
          <TestFraction source={source} />
        </>
      );
    case 'idx':
    case 'npy':
      return (
        <>
          <PathField
            label={source.kind === 'idx' ? 'Labels file' : 'Labels (.npy)'}
            value={source.labels ?? ''}
            optional
            choose="file"
            onChange={(labels) => save({ ...source, labels: labels || undefined })}
            testId="labels-path"
          />
          <TestFraction source={source} />
        </>
      );
  }
}

/** A typed path; on the desktop also "Choose…", the native dialog, which lets NetCanvas read what is chosen. */
function PathField({
  label,
  value,
  optional = false,
  choose,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  optional?: boolean;
  choose: 'file' | 'folder';
  onChange(path: string): void;
  testId: string;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText((typed) => (typed.trim() === value ? typed : value)), [value]);
  const pick = async () => {
    const chosen = await chooseDataPath(choose, value || undefined);
    if (chosen === null) return;
    setText(chosen);
    onChange(chosen);
    // The same path chosen again (once refused) changes no setting, yet may now be read.
    void refreshData();
  };
  return (
    <div className="setting setting-wide">
      <label htmlFor={id}>{label}</label>
      <div className="path-row">
        <input
          id={id}
          className="mono"
          value={text}
          spellCheck={false}
          autoComplete="off"
          placeholder={optional ? 'optional' : 'Path to a file or folder on this computer'}
          data-testid={testId}
          onChange={(e) => {
            setText(e.target.value);
            if (optional || e.target.value.trim()) onChange(e.target.value.trim());
          }}
        />
        {canChooseData() && (
          <button type="button" title={`Choose the ${choose} in a dialog`} data-testid={`${testId}-choose`} onClick={() => void pick()}>
            Choose…
          </button>
        )}
      </div>
    </div>
  );
}

/** The user's own file or folder: its kind, where it is, and how to read it. */
function OwnSource({ report }: { report: DatasetReport | null }) {
  const dataset = useGraphStore((s) => s.meta.training.dataset);
  const ownKind = useDataStore((s) => s.ownKind);
  const source = toSource(dataset);
  const current = source.kind === 'builtin' ? null : source;
  const kind = ownKind ?? current?.kind ?? 'csv';
  const path = current?.path ?? '';
  const setKind = (next: Kind) => {
    if (path) save(next === current?.kind ? current : freshSource(next, path));
    else useDataStore.getState().setOwnKind(next);
  };
  const setPath = (next: string) => {
    if (!current || current.kind !== kind) save(freshSource(kind, next));
    // Another file has other columns and may be laid out differently: the old choices would stop it loading.
    else save(withPath(current, next));
  };
  const shown = !ownKind && current ? current : null;
  return (
    <>
      <Choice label="Kind" value={kind} options={OWN_KINDS.map((k) => k.kind)} labels={Object.fromEntries(OWN_KINDS.map((k) => [k.kind, k.label])) as Record<Kind, string>} onChange={setKind} testId="own-kind" />
      <PathField label="Path" value={path} choose={CHOOSE_KIND[kind]} onChange={setPath} testId="data-path" />
      <p className="setting-help own-help">{OWN_KINDS.find((k) => k.kind === kind)?.help}</p>
      {shown && <KindSettings source={shown} report={report} />}
    </>
  );
}

/** A built-in's own settings: generated data's size and noise, IMDB's vocabulary and review length. */
function BuiltinSettings({ source, info, report }: { source: BuiltinSource; info: BuiltinInfo | undefined; report: DatasetReport | null }) {
  const set = (patch: Partial<BuiltinSource>) => save({ ...source, ...patch });
  const synthetic = (SYNTHETIC_DATASETS as readonly string[]).includes(source.id);
  return (
    <>
      {info && <p className="source-description">{info.description}</p>}
      {synthetic && (
        <>
          <NumberField label={source.id === 'sine' ? 'Time steps' : 'Points'} value={source.size ?? info?.size ?? 1000} min={20} max={1_000_000} integer onChange={(size) => set({ size })} testId="synthetic-size" />
          <NumberField label="Noise" value={source.noise ?? info?.noise ?? 0.1} min={0} max={2} step={0.01} slider help="standard deviation added to every point" onChange={(noise) => set({ noise })} testId="synthetic-noise" />
        </>
      )}
      {source.id === 'sine' && <NumberField label="Window" value={source.length ?? report?.inputShape[0] ?? 20} min={2} max={2000} integer help="steps the model reads to predict the next" onChange={(length) => set({ length })} />}
      {source.id === 'imdb' && (
        <>
          <NumberField label="Vocabulary" value={source.vocabulary ?? report?.vocabulary ?? 10000} min={100} max={50000} integer help="most frequent words kept; the rest become one unknown word" onChange={(vocabulary) => set({ vocabulary })} />
          <NumberField label="Words per review" value={source.length ?? report?.inputShape[0] ?? 200} min={2} max={2000} integer help="longer reviews are cut, shorter ones padded" onChange={(length) => set({ length })} />
        </>
      )}
      {info && <p className="setting-help">{info.note}</p>}
    </>
  );
}

/** How the project's data is read: a built-in's settings, or the user's file and how to read it. */
export function SourceSettings({ report }: { report: DatasetReport | null }) {
  const dataset = useGraphStore((s) => s.meta.training.dataset);
  const ownKind = useDataStore((s) => s.ownKind);
  const builtins = useDataStore((s) => s.builtins);
  const source = toSource(dataset);
  if (ownKind || source.kind !== 'builtin') return <OwnSource report={report} />;
  return <BuiltinSettings source={source} info={builtins?.find((b) => b.id === source.id)} report={report} />;
}
