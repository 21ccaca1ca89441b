import { useState } from 'react';
import { Dialog } from '../panels/Dialog';
import { discardRecovery } from '../stores/autosave';
import { restoreCopy } from '../stores/fileActions';
import { useProjectStore } from '../stores/projectStore';
import { closeDialog } from '../stores/uiStore';
import type { RecoveryCopy } from '../../shared/api/contract';

function ago(iso: string): string {
  const minutes = Math.round((Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'less than a minute ago';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hour${hours === 1 ? '' : 's'} ago` : `${Math.round(hours / 24)} days ago`;
}

function savedAt(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' });
}

/** After a crash, a killed process or a reload: the unsaved work found, each to restore or throw away. */
export function RecoveryDialog() {
  const copies = useProjectStore((s) => s.recoveries);
  const problems = useProjectStore((s) => s.recoveryProblems);
  const [gone, setGone] = useState<string[]>([]);
  const left = copies.filter((c) => !gone.includes(c.docId));
  const restore = (copy: RecoveryCopy) => {
    closeDialog();
    void restoreCopy(copy);
  };
  const discard = (copy: RecoveryCopy) => {
    void discardRecovery(copy.docId);
    setGone([...gone, copy.docId]);
    if (left.length === 1 && problems.length === 0) closeDialog();
  };
  return (
    <Dialog title="Restore unsaved work?" onClose={closeDialog} className="recovery-dialog" testId="recovery-dialog">
      <p>NetCanvas closed before this work was saved. Its recovery copy is here:</p>
      <ul className="recovery-list">
        {left.map((copy, i) => (
          <li key={copy.docId} data-testid="recovery-copy">
            <div>
              <strong>{copy.project.name}</strong> · {copy.project.graph.nodes.length} layers
              <div className="muted small">
                saved {savedAt(copy.savedAt)} ({ago(copy.savedAt)}) · {copy.path ?? 'never saved to a file'}
              </div>
            </div>
            <div className="dialog-actions">
              <button className="primary" onClick={() => restore(copy)} data-autofocus={i === 0 ? true : undefined}>
                Restore
              </button>
              <button className="danger" onClick={() => discard(copy)}>
                Discard
              </button>
            </div>
          </li>
        ))}
      </ul>
      {problems.map((p) => (
        <p className="field-error" key={p}>
          {p}
        </p>
      ))}
      <p className="muted small">Closing this keeps the copies; they are offered again next time.</p>
    </Dialog>
  );
}
