import { CURRENT_SCHEMA_VERSION, projectSchema, type Project } from './schema.js';
import { describeIssues } from '../api/validation.js';
import { importKerasModel, looksLikeKerasModel, type KerasFlavour, type KerasImportError } from '../keras/import.js';

export interface ProjectError {
  code: 'NOT_JSON' | 'NEWER_VERSION' | 'INVALID_PROJECT' | KerasImportError['code'];
  message: string;
}

export type ProjectParse = { ok: true; project: Project; migratedFrom?: number } | { ok: false; error: ProjectError };

/** A project read from a NetCanvas project file, or imported from a Keras or TensorFlow.js model. */
export type ModelFileParse =
  | { ok: true; project: Project; migratedFrom?: number; importedFrom?: KerasFlavour; warnings: string[] }
  | { ok: false; error: ProjectError };

/** Position (1-based line and column) of a character offset in a text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function jsonErrorMessage(text: string, err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const at = /position (\d+)/.exec(raw);
  if (at) {
    const { line, column } = lineAndColumn(text, Number(at[1]));
    return `The file is not valid JSON: ${raw.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}.`;
  }
  return `The file is not valid JSON: ${raw}.`;
}

/**
 * Older project files are brought up to the current schema here, one step per version.
 * Migration happens in memory; the file on disk changes only when the user saves.
 */
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

export function parseProjectText(text: string, source = 'project file'): ProjectParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: { code: 'NOT_JSON', message: `${source}: ${jsonErrorMessage(text, err)}` } };
  }
  return parseProjectValue(raw, source);
}

/**
 * Reads any file NetCanvas opens: a project file, Keras `model.to_json()` output (Keras 2 or 3),
 * tfjs-layers JSON or a TensorFlow.js model.json. `fileName` names it in messages.
 */
export function parseModelFile(text: string, fileName = 'file'): ModelFileParse {
  let raw: unknown;
  try {
    // Files saved by some Windows editors start with a byte-order mark, which JSON.parse refuses.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, error: { code: 'NOT_JSON', message: `${fileName}: ${jsonErrorMessage(text, err)}` } };
  }
  if (typeof raw === 'object' && raw !== null && !('schemaVersion' in raw) && looksLikeKerasModel(raw)) {
    const imported = importKerasModel(raw, fileName);
    if (!imported.ok) return imported;
    // Values a spec's fromKeras hands back unchecked must still make a valid project.
    const valid = projectSchema.safeParse(imported.project);
    if (!valid.success) return { ok: false, error: { code: 'INVALID_MODEL', message: `${fileName}: the imported model has values NetCanvas cannot hold: ${describeIssues(valid.error)}` } };
    return { ok: true, project: valid.data, importedFrom: imported.flavour, warnings: imported.warnings };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('schemaVersion' in raw)) {
    return {
      ok: false,
      error: {
        code: 'INVALID_PROJECT',
        message: `${fileName}: expected a NetCanvas project (with "schemaVersion" and "graph"), a Keras model saved with model.to_json(), or a TensorFlow.js model.json.`,
      },
    };
  }
  const parsed = parseProjectValue(raw, fileName);
  return parsed.ok ? { ...parsed, warnings: [] } : parsed;
}

export function parseProjectValue(raw: unknown, source = 'project file'): ProjectParse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: { code: 'INVALID_PROJECT', message: `${source}: expected a NetCanvas project (a JSON object with "schemaVersion" and "graph").` } };
  }
  let value = raw as Record<string, unknown>;
  const version = value.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, error: { code: 'INVALID_PROJECT', message: `${source}: "schemaVersion" must be a whole number; is this a NetCanvas project file?` } };
  }
  if (version > CURRENT_SCHEMA_VERSION) {
    return {
      ok: false,
      error: { code: 'NEWER_VERSION', message: `${source} was made by a newer NetCanvas (schema ${version}; this one reads up to ${CURRENT_SCHEMA_VERSION}). Update NetCanvas to open it.` },
    };
  }
  for (let v = version; v < CURRENT_SCHEMA_VERSION; v++) value = MIGRATIONS[v]!(value);
  const parsed = projectSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_PROJECT', message: `${source} is not a valid project: ${describeIssues(parsed.error)}` } };
  }
  return { ok: true, project: parsed.data, ...(version < CURRENT_SCHEMA_VERSION ? { migratedFrom: version } : {}) };
}
