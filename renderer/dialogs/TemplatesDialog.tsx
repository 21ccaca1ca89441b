import { Dialog } from '../panels/Dialog';
import { loadTemplate } from '../stores/fileActions';
import { useTemplatesStore } from '../stores/templatesStore';
import { closeDialog } from '../stores/uiStore';

/** Load a template…: every ready network with what it shows. */
export function TemplatesDialog() {
  const templates = useTemplatesStore((s) => s.templates);
  return (
    <Dialog title="Load a template" onClose={closeDialog} className="templates-dialog">
      <ul className="template-list">
        {templates.map((t) => (
          <li key={t.id}>
            <button className="template-row" onClick={() => void loadTemplate(t.id)}>
              <strong>{t.name}</strong>
              <span className="muted">{t.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
