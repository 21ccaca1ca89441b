import { useEffect, useRef } from 'react';
import { PresentationButton } from './PresentationButton';
import { ProjectName } from './ProjectName';
import { CommandButton } from '../commands/CommandButton';
import { runCommand } from '../commands/handlers';
import { commandShortcut } from '../commands/useCommand';
import type { TemplateInfo } from '../../shared/api/contract';
import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS } from '../../shared/keras/export';
import { api } from '../api';
import { loadTemplate, uploadFile } from '../stores/fileActions';
import { useTemplatesStore } from '../stores/templatesStore';
import { useUiStore } from '../stores/uiStore';

/** The templates, asked for once and shared by the toolbar's list and the templates dialog. */
function useTemplates(): readonly TemplateInfo[] {
  const templates = useTemplatesStore((s) => s.templates);
  useEffect(() => {
    if (useTemplatesStore.getState().asked) return;
    useTemplatesStore.setState({ asked: true });
    api
      .request('templates.list', {})
      .then((list) => useTemplatesStore.setState({ templates: list }))
      .catch((err: Error) => useUiStore.getState().notify('error', err.message));
  }, []);
  return templates;
}

export function Toolbar() {
  const templates = useTemplates();
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <header className="toolbar">
      <div className="brand">NetCanvas</div>
      <ProjectName />
      <div className="toolbar-group" role="group" aria-label="Project">
        <CommandButton id="file.new">New</CommandButton>
        <CommandButton id="file.gallery" className="icon-button">
          ▦
        </CommandButton>
        <CommandButton id="file.open">Open…</CommandButton>
        <CommandButton id="file.save">Save</CommandButton>
      </div>
      <div className="toolbar-group" role="group" aria-label="History">
        <CommandButton id="edit.undo" className="icon-button">
          ↶
        </CommandButton>
        <CommandButton id="edit.redo" className="icon-button">
          ↷
        </CommandButton>
      </div>
      <select
        data-testid="template-select"
        aria-label="Load a template"
        value=""
        onChange={(e) => {
          if (e.target.value) void loadTemplate(e.target.value);
        }}
      >
        <option value="">Load a template…</option>
        {templates.map((t) => (
          <option key={t.id} value={t.id} title={t.description}>
            {t.name}
          </option>
        ))}
      </select>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json,.bin,.h5,.hdf5"
        multiple
        hidden
        data-testid="open-file"
        title="A project or model file: a TensorFlow.js model.json with its .bin weight files, a Keras .h5 model, or a Keras model JSON with its weights .h5"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          if (files.length > 0) void uploadFile(files);
          e.target.value = '';
        }}
      />
      <select
        className="export-select"
        aria-label="Export"
        value=""
        onChange={(e) => {
          if (e.target.value) runCommand(e.target.value === 'tfjs-json' ? 'file.export-tfjs' : 'file.export-keras');
        }}
      >
        <option value="">Export…</option>
        {EXPORT_FORMATS.map((f) => (
          <option key={f} value={f}>
            {EXPORT_FORMAT_LABELS[f]}
          </option>
        ))}
      </select>
      <PresentationButton />
      <button className="palette-button" onClick={() => runCommand('view.commands')} title="Find any command or layer by typing its name">
        Commands <kbd>{commandShortcut('view.commands')}</kbd>
      </button>
      <span className="transport">{api.kind === 'ipc' ? 'desktop' : 'browser mode'}</span>
    </header>
  );
}
