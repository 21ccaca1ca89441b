import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ioFailure, readLimited } from './project-disk.js';
import { RECOVERY_LIVE_MS, recoveryCopySchema, type CopyOwner, type RecoveryCopy } from '../../shared/api/contract.js';
import { describeIssues } from '../../shared/api/validation.js';
import { parseProjectValue } from '../../shared/project/parse.js';
import type { Project } from '../../shared/project/schema.js';
import { writeFileAtomic } from '../files/atomic.js';

/** The envelope is checked first so an older project inside can still be migrated. */
const envelopeSchema = recoveryCopySchema.omit({ project: true });

/** Recovery copies of unsaved work: one `<docId>.json` per open document. */
export class RecoveryStore {
  /** `singleWindow`: no other window can be writing a copy, so every copy of the owner's is left over. */
  constructor(
    private readonly dir: string,
    private readonly singleWindow = false,
  ) {}

  async write(docId: string, owner: CopyOwner, project: Project, file: string | null): Promise<{ savedAt: string }> {
    const copy: RecoveryCopy = { docId, owner, path: file, savedAt: new Date().toISOString(), project };
    const target = this.fileOf(docId);
    try {
      await writeFileAtomic(target, `${JSON.stringify(copy)}\n`);
    } catch (err) {
      throw ioFailure(err, target, 'write');
    }
    return { savedAt: copy.savedAt };
  }

  /**
   * The copies `owner` may take back, newest first: its browser's, from this window or from
   * one no longer writing. Copies of the owner's that do not read back whole stay on disk and
   * are named in `problems`; one that does not say whose it is, only where there is one window.
   */
  async list(owner: CopyOwner, now = Date.now()): Promise<{ copies: RecoveryCopy[]; problems: string[] }> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return { copies: [], problems: [] };
    }
    const copies: RecoveryCopy[] = [];
    const problems: string[] = [];
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
      const read = await this.read(name);
      if ('copy' in read) {
        if (offeredTo(read.copy, owner, now, this.singleWindow)) copies.push(read.copy);
      } else if (this.singleWindow || read.client === owner.client) {
        problems.push(read.problem);
      }
    }
    return { copies: copies.sort((a, b) => b.savedAt.localeCompare(a.savedAt)), problems };
  }

  async discard(docId: string): Promise<boolean> {
    const target = this.fileOf(docId);
    try {
      await rm(target);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw ioFailure(err, target, 'write');
    }
  }

  private fileOf(docId: string): string {
    return path.join(this.dir, `${docId}.json`);
  }

  /**
   * The copy, or one sentence saying what is wrong with it and the browser it says it belongs
   * to (null when it cannot be read as JSON, or does not say).
   */
  private async read(name: string): Promise<{ copy: RecoveryCopy } | { problem: string; client: string | null }> {
    const what = `The recovery copy ${path.join(this.dir, name)}`;
    let text: string;
    try {
      text = (await readLimited(path.join(this.dir, name))).text;
    } catch (err) {
      return { problem: `${what} cannot be read: ${(err as Error).message.replace(/\.$/, '')}.`, client: null };
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      return { problem: `${what} is damaged: it is not valid JSON (${(err as Error).message}).`, client: null };
    }
    const damaged = (problem: string) => ({ problem, client: clientOf(raw) });
    const envelope = envelopeSchema.safeParse(raw);
    if (!envelope.success) return damaged(`${what} is damaged: ${describeIssues(envelope.error)}.`);
    if (`${envelope.data.docId}.json` !== name) return damaged(`${what} belongs to document ${envelope.data.docId}, not to its file name.`);
    const project = parseProjectValue((raw as { project?: unknown }).project, what);
    if (!project.ok) return damaged(project.error.message);
    return { copy: { ...envelope.data, project: project.project } };
  }
}

/** The browser a copy that does not read back whole says it belongs to, if it says. */
function clientOf(raw: unknown): string | null {
  const client = (raw as { owner?: { client?: unknown } } | null)?.owner?.client;
  return typeof client === 'string' ? client : null;
}

function offeredTo(copy: RecoveryCopy, owner: CopyOwner, now: number, singleWindow: boolean): boolean {
  // One window: every copy is its own, also those its page wrote under another origin before an update.
  if (singleWindow) return true;
  if (copy.owner.client !== owner.client) return false;
  return copy.owner.window === owner.window || now - Date.parse(copy.savedAt) > RECOVERY_LIVE_MS;
}
