import { useEffect, useMemo, useRef, useState } from 'react';
import './start.css';
import { startEmpty } from './actions';
import { FAMILY_LABELS, familiesOf, inFamily, type FamilyFilter } from './families';
import { TemplateCard } from './TemplateCard';
import { ProjectList } from '../dialogs/ProjectList';
import { Dialog } from '../panels/Dialog';
import { openPath } from '../stores/fileActions';
import { useGraphStore } from '../stores/graphStore';
import { useProjectStore } from '../stores/projectStore';
import { useTemplatesStore } from '../stores/templatesStore';
import { closeDialog, useUiStore } from '../stores/uiStore';

/** How many recent projects the start screen lists; Open… has them all. */
const RECENT_SHOWN = 6;

/**
 * The start screen: the gallery of templates, each drawn from its network and filtered by
 * family, the recent projects, and an empty canvas. It shows when the window opens and again
 * from "New from the gallery…"; Escape goes to the canvas as it is.
 */
export function StartScreen() {
  const templates = useTemplatesStore((s) => s.templates);
  const listed = useProjectStore((s) => s.listed);
  const error = useUiStore((s) => (s.notice?.kind === 'error' ? s.notice.text : null));
  const [family, setFamily] = useState<FamilyFilter>('all');
  const families = useMemo(() => familiesOf(templates), [templates]);
  const shown = useMemo(() => inFamily(templates, family), [templates, family]);
  const recent = useMemo(() => listed?.recent.slice(0, RECENT_SHOWN) ?? [], [listed]);

  // Layers that reach the canvas some other way (pasted, opened from the desktop) are what to see.
  useEffect(() => useGraphStore.subscribe((now, before) => now.graph !== before.graph && closeDialog()), []);

  // Opened before the templates arrived, the frame focused its first control: the first card takes it, unless the user has moved it.
  const gallery = useRef<HTMLElement>(null);
  const hasTemplates = templates.length > 0;
  useEffect(() => {
    const frame = gallery.current?.closest('[role="dialog"]');
    if (!hasTemplates || !frame) return;
    const active = document.activeElement;
    if (active === frame || active === frame.querySelector('.start-families button')) frame.querySelector<HTMLElement>('.template-card')?.focus();
  }, [hasTemplates]);

  return (
    <Dialog title="Start" heading="Start a project" onClose={closeDialog} className="start-screen" testId="start-screen">
      {error && <p className="start-error">{error}</p>}
      <div className="start-bar">
        <div className="start-families" role="group" aria-label="Family">
          {(['all', ...families] as const).map((f) => (
            <button key={f} aria-pressed={family === f} onClick={() => setFamily(f)}>
              {f === 'all' ? 'All' : FAMILY_LABELS[f]}
            </button>
          ))}
        </div>
        <button className="primary start-empty" onClick={() => void startEmpty()}>
          Empty canvas
        </button>
      </div>
      <div className="start-body">
        <section className="start-gallery" aria-label="Templates" ref={gallery}>
          {templates.length === 0 ? (
            <p className="muted">Reading the templates…</p>
          ) : (
            <ul className="start-grid">
              {shown.map((t, i) => (
                <li key={t.id}>
                  <TemplateCard template={t} autoFocus={i === 0} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="start-recent" aria-label="Recent projects">
          <h3>Recent projects</h3>
          {!listed ? (
            <p className="muted">Reading the recent list…</p>
          ) : (
            <ProjectList files={recent} onOpen={(path) => void openPath(path)} empty="The projects you save or open will be here." />
          )}
        </section>
      </div>
    </Dialog>
  );
}
