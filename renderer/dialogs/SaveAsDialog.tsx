import { useState } from 'react';
import { Dialog } from '../panels/Dialog';
import { fileStem } from '../stores/actions';
import { saveAsCancelled, writeAs } from '../stores/fileActions';
import { useGraphStore } from '../stores/graphStore';
import { useProjectStore } from '../stores/projectStore';

/** Browser mode's Save as: a file name in the projects folder. */
export function SaveAsDialog() {
  const name = useGraphStore((s) => s.meta.name);
  const dir = useProjectStore((s) => s.projectsDir);
  const [fileName, setFileName] = useState(fileStem(name));
  const submit = () => {
    if (fileName.trim()) void writeAs(fileName.trim());
  };
  return (
    <Dialog title="Save as" onClose={saveAsCancelled} testId="save-as-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="field">
          <span>File name</span>
          <span className="file-name-row">
            <input data-autofocus aria-label="File name" value={fileName} onChange={(e) => setFileName(e.target.value)} maxLength={100} />
            <span className="muted mono">.netcanvas.json</span>
          </span>
        </label>
        {dir && <p className="muted small">Saved in {dir}, with the project’s runs beside it.</p>}
        <div className="dialog-actions">
          <button type="submit" className="primary" disabled={!fileName.trim()}>
            Save
          </button>
          <button type="button" onClick={saveAsCancelled}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
