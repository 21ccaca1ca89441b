/**
 * Entry point of an Analyst process (child_process.fork, or Electron's utilityProcess in the
 * app). It holds one saved run open, its network, weights and data, and answers questions
 * about it one at a time, in the order they come; a question about another run or checkpoint
 * closes this one and opens that.
 */
import * as tf from '@tensorflow/tfjs';
import { answer } from './answer.js';
import { closeSession, openSession } from './open.js';
import type { AnalystErrorCode, AnalystRequest, FromAnalyst, RunLocation, ToAnalyst } from './protocol.js';
import { InputError, type Session } from './session.js';
import { GraphError } from '../compiler/compile.js';
import { DataAccess, DataAccessError } from '../data/access.js';
import { RunNotExportable } from '../export/run.js';
import { TrainingError } from '../training/errors.js';
import { selectBackend } from '../training/tf-backend.js';
import { parentChannel } from '../training/parent-channel.js';

const { send, onMessage } = parentChannel<FromAnalyst, ToAnalyst>();

/** The run held open, and the data rule its inputs' files are read under. */
let held: { key: string; session: Session; access: DataAccess } | null = null;
let backend: Promise<unknown> | null = null;

const keyOf = (run: RunLocation) => JSON.stringify([run.runDir, run.checkpoint]);

async function sessionFor(run: RunLocation): Promise<{ session: Session; access: DataAccess }> {
  const key = keyOf(run);
  if (held?.key === key) return held;
  if (held) closeSession(held.session);
  held = null;
  // tfjs's advice to install its Node backend is for training, which happens elsewhere.
  tf.env().set('PROD', true);
  backend ??= selectBackend('auto');
  await backend;
  const session = await openSession(run);
  held = { key, session, access: new DataAccess(run.dataRule) };
  return held;
}

/** A failure as the contract's code and words. */
function failureOf(err: unknown, method: string): { code: AnalystErrorCode; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof InputError) return { code: 'INVALID_INPUT', message };
  if (err instanceof RunNotExportable) return { code: err.kind === 'missing' ? 'NOT_FOUND' : 'GRAPH_ERRORS', message };
  if (err instanceof DataAccessError) return { code: err.code, message };
  if (err instanceof GraphError) return { code: 'GRAPH_ERRORS', message };
  if (err instanceof TrainingError) return { code: err.code === 'GRAPH' ? 'GRAPH_ERRORS' : 'IO', message };
  return { code: 'INTERNAL', message: `${method} failed: ${message}` };
}

async function handle(request: AnalystRequest): Promise<void> {
  try {
    const { session, access } = await sessionFor(request.run);
    const value = await answer(session, request.method, request.params as never, access);
    send({ type: 'result', id: request.id, value });
  } catch (err) {
    send({ type: 'error', id: request.id, ...failureOf(err, request.method) });
  }
}

/** Requests wait their turn: the session and tfjs answer one at a time. */
let queue: Promise<void> = Promise.resolve();

// An Analyst whose Backend has gone has no one to answer.
process.on('disconnect', () => process.exit(0));

onMessage((message) => {
  switch (message.type) {
    case 'request':
      queue = queue.then(() => handle(message));
      break;
    default: {
      const unknown: never = message.type;
      throw new Error(`Unknown message ${JSON.stringify(unknown)}`);
    }
  }
});
