import { wsRequestSchema, type WsRequest } from '../../shared/api/contract.js';
import { describeIssues } from '../../shared/api/validation.js';

/** Deeper than any real request (a project nests a few levels per wrapped layer); checked before any validator recurses. */
const MAX_REQUEST_DEPTH = 64;

/**
 * A request read from one WebSocket text, or why it cannot be: with the request's id when
 * one was readable, so the sender gets an answer; without one, nothing can be answered.
 */
export type ReadFrame = { ok: true; request: WsRequest } | { ok: false; id: number | null; message: string };

export function readFrame(text: string): ReadFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, id: null, message: `The message is not JSON: ${(err as Error).message}.` };
  }
  const id = readableId(value);
  if (nestedDeeperThan(value, MAX_REQUEST_DEPTH)) {
    return { ok: false, id, message: `The request nests more than ${MAX_REQUEST_DEPTH} levels of objects and lists.` };
  }
  const parsed = wsRequestSchema.safeParse(value);
  if (!parsed.success) return { ok: false, id, message: `The request should be {id, method, params}: ${describeIssues(parsed.error)}` };
  return { ok: true, request: parsed.data };
}

function readableId(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const id = (value as { id?: unknown }).id;
  return Number.isSafeInteger(id) ? (id as number) : null;
}

/** Walks with a list of its own rather than the call stack, so no depth can overflow it. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}
