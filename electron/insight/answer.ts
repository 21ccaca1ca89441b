import { evaluate } from './evaluate.js';
import { explain } from './explain/index.js';
import { generate } from './generate.js';
import { exampleView, prepareInput } from './inputs.js';
import { predict } from './predict.js';
import type { AnalystMethod, AnalystParams, InsightResult } from './protocol.js';
import { InputError, type PreparedInput, type Session } from './session.js';
import type { ModelInput } from '../../shared/api/insight.js';
import type { DataAccess } from '../data/access.js';

/** One question about a held run, answered in this process: the Analyst's dispatch, and what tests call without a process between. */

/** Prepares an input, runs `use` on it and lets go of its tensor; `label` names the input in an error. */
async function withInput<T>(session: Session, input: ModelInput, access: DataAccess, label: string | null, use: (prepared: PreparedInput) => Promise<T> | T): Promise<T> {
  let prepared: PreparedInput;
  try {
    prepared = await prepareInput(session, input, access);
  } catch (err) {
    if (err instanceof InputError && label) throw new InputError(`${label}: ${err.message}`);
    throw err;
  }
  try {
    return await use(prepared);
  } finally {
    prepared.tensor.dispose();
  }
}

type Answers = { [M in AnalystMethod]: (session: Session, params: AnalystParams<M>, access: DataAccess) => Promise<InsightResult<M>> };

const answers: Answers = {
  'insight.open': async (session) => session.info,
  'insight.predict': async (session, { inputs }, access) => {
    const predictions = [];
    // One input at a time: a batch of a command line's files would hold all their tensors at once.
    for (const [i, input] of inputs.entries()) {
      predictions.push(await withInput(session, input, access, inputs.length > 1 ? `Input ${i + 1} (${input.kind})` : null, (prepared) => predict(session, prepared)));
    }
    return { predictions };
  },
  'insight.generate': (session, { request }) => generate(session, request),
  'insight.evaluate': (session, { split, groupBy }) => evaluate(session, { split, ...(groupBy !== undefined ? { groupBy } : {}) }),
  'insight.examples': async (session, { split, indices }) => ({ examples: indices.map((index) => exampleView(session, split, index)) }),
  'insight.explain': (session, { input, explain: request }, access) => withInput(session, input, access, null, (prepared) => explain(session, prepared, request)),
};

/** Answers one request about `session`. */
export function answer<M extends AnalystMethod>(session: Session, method: M, params: AnalystParams<M>, access: DataAccess): Promise<InsightResult<M>> {
  return (answers[method] as Answers[M])(session, params, access);
}
