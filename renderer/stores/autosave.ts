/**
 * Unsaved work is never only in this window: a few seconds after each change the Backend
 * writes a recovery copy, which the next start offers back after a crash, a killed
 * process or a reload. Leaving with unsaved changes asks first.
 */
import { newDocId, toProject, useGraphStore } from './graphStore';
import { currentFile, currentIsDirty, useProjectStore } from './projectStore';
import { errorText, openDialog } from './uiStore';
import { api } from '../api';
import { RECOVERY_HEARTBEAT_MS, type CopyOwner } from '../../shared/api/contract';

export const AUTOSAVE_DELAY_MS = 2_000;

/** An id kept in the browser's storage: one per browser (local), one per tab that survives a reload (session). */
function storedId(storage: () => Storage, key: string): string {
  try {
    const kept = storage().getItem(key);
    if (kept) return kept;
    const id = newDocId();
    storage().setItem(key, id);
    return id;
  } catch {
    return (fallbackIds[key] ??= newDocId());
  }
}
const fallbackIds: Record<string, string> = {};

/** Whose recovery copies these are: a copy goes back to this browser only, and not while another of its windows still writes it. */
function owner(): CopyOwner {
  return { client: storedId(() => localStorage, 'netcanvas.client'), window: storedId(() => sessionStorage, 'netcanvas.window') };
}

let timer: ReturnType<typeof setTimeout> | null = null;
/** Documents with a recovery copy on disk, so a copy is removed once its work is saved. */
const written = new Set<string>();

/** Removes a document's recovery copy, if it has one; a copy that cannot be removed is left. */
export async function discardRecovery(docId: string): Promise<void> {
  await api.request('projects.discardRecovery', { docId }).catch(() => undefined);
}

export async function writeRecoveryCopy(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const doc = useGraphStore.getState();
  if (!currentIsDirty()) {
    if (written.delete(doc.docId)) await discardRecovery(doc.docId);
    return;
  }
  try {
    const { savedAt } = await api.request('projects.autosave', { docId: doc.docId, owner: owner(), project: toProject(doc), path: currentFile()?.path ?? null });
    written.add(doc.docId);
    useProjectStore.setState({ autosave: { state: 'saved', at: savedAt } });
  } catch (err) {
    useProjectStore.setState({ autosave: { state: 'failed', error: errorText(err) } });
  }
}

function schedule(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void writeRecoveryCopy(), AUTOSAVE_DELAY_MS);
}

let firstOfferMade: () => void = () => undefined;
const firstOffer = new Promise<void>((resolve) => (firstOfferMade = resolve));
/** Resolves once the recovery copies have been offered at start (the dialog may still be open). */
export const recoveriesOffered = (): Promise<void> => firstOffer;

/** Offers the recovery copies left by an earlier window, if there are any. */
export async function offerRecoveries(): Promise<void> {
  try {
    const { copies, problems } = await api.request('projects.recoveries', { owner: owner() });
    useProjectStore.setState({ recoveries: copies, recoveryProblems: problems });
    if (copies.length > 0 || problems.length > 0) openDialog('recovery');
  } catch {
    // No recovery copies can be read: there is nothing to offer.
  } finally {
    firstOfferMade();
  }
}

export function installAutosave(): () => void {
  const stopDoc = useGraphStore.subscribe((now, before) => {
    if (now.graph !== before.graph || now.meta !== before.meta || now.docId !== before.docId) schedule();
  });
  const stopFiles = useProjectStore.subscribe((now, before) => {
    if (now.files !== before.files) schedule();
  });
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!currentIsDirty()) return;
    // The copy on disk is brought up to this moment, in case the page does go.
    void writeRecoveryCopy();
    event.preventDefault();
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  // Rewriting the copy now and then tells other windows it is still being worked on.
  const heartbeat = setInterval(() => {
    if (currentIsDirty()) void writeRecoveryCopy();
  }, RECOVERY_HEARTBEAT_MS);
  return () => {
    clearInterval(heartbeat);
    stopDoc();
    stopFiles();
    window.removeEventListener('beforeunload', onBeforeUnload);
    if (timer) clearTimeout(timer);
  };
}
