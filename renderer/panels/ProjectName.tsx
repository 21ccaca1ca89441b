import { useEffect, useState } from 'react';
import { renameProject, useGraphStore } from '../stores/graphStore';
import { useCurrentPath, useDirty, useProjectStore } from '../stores/projectStore';
import { closeDialog, openDialog, useUiStore } from '../stores/uiStore';

function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The project's name (click to rename), whether it has unsaved changes, and its recovery copy. */
export function ProjectName() {
  const name = useGraphStore((s) => s.meta.name);
  const dirty = useDirty();
  const path = useCurrentPath();
  const autosave = useProjectStore((s) => s.autosave);
  const editing = useUiStore((s) => s.dialog === 'rename-project');
  const [text, setText] = useState(name);

  // The window's title says it too, so the tab and the taskbar show unsaved work.
  useEffect(() => {
    document.title = `${dirty ? '● ' : ''}${name} — NetCanvas`;
  }, [name, dirty]);
  useEffect(() => setText(name), [name, editing]);

  const commit = () => {
    if (text.trim()) renameProject(text);
    closeDialog();
  };

  return (
    <div className="project-title">
      {editing ? (
        <input
          className="project-name-input"
          aria-label="Project name"
          autoFocus
          value={text}
          maxLength={120}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') closeDialog();
          }}
        />
      ) : (
        <button className="project-name" data-testid="project-name" title={path ? `${path} — click to rename` : 'Not saved yet — click to rename'} onClick={() => openDialog('rename-project')}>
          {name}
        </button>
      )}
      {dirty && (
        <span className="dirty-mark" data-testid="unsaved" title="Unsaved changes">
          ●
        </span>
      )}
      <span className="autosave muted" data-testid="autosave-status">
        {autosave.state === 'saved' && dirty ? `recovery copy ${clock(autosave.at)}` : autosave.state === 'failed' ? `no recovery copy: ${autosave.error}` : ''}
      </span>
    </div>
  );
}
