import { useEffect, useRef, useState } from 'react';
import type { TemplateInfo } from '../../shared/api/contract';
import { api } from '../api';
import { EXPORT_FORMAT_LABELS, EXPORT_FORMATS, type ExportFormat } from '../../shared/keras/export';
import { exportModelFile, loadTemplate, openProjectFile, saveProjectFile } from '../stores/actions';
import { useGraphStore } from '../stores/graphStore';
import { useUiStore } from '../stores/uiStore';

export function Toolbar() {
  const [templates, setTemplates] = useState<TemplateInfo[]>([]);
  const name = useGraphStore((s) => s.meta.name);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api
      .request('templates.list', {})
      .then(setTemplates)
      .catch((err: Error) => useUiStore.getState().notify('error', err.message));
  }, []);

  return (
    <header className="toolbar">
      <div className="brand">NetCanvas</div>
      <div className="project-name" data-testid="project-name">
        {name}
      </div>
      <label className="toolbar-item">
        Template
        <select
          data-testid="template-select"
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
      </label>
      <button onClick={() => fileInput.current?.click()}>Open…</button>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="open-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void openProjectFile(file);
          e.target.value = '';
        }}
      />
      <button onClick={saveProjectFile}>Save</button>
      <select
        aria-label="Export"
        value=""
        onChange={(e) => {
          if (e.target.value) exportModelFile(e.target.value as ExportFormat);
        }}
      >
        <option value="">Export…</option>
        {EXPORT_FORMATS.map((f) => (
          <option key={f} value={f}>
            {EXPORT_FORMAT_LABELS[f]}
          </option>
        ))}
      </select>
      <span className="transport">{api.kind === 'ipc' ? 'desktop' : 'browser mode'}</span>
    </header>
  );
}
