import { useId } from 'react';
import { FAMILY_LABELS } from './families';
import { Thumbnail } from './Thumbnail';
import type { TemplateInfo } from '../../shared/api/contract';
import { loadTemplate } from '../stores/fileActions';

/** One template of the gallery, a button that loads it as the toolbar's list does. */
export function TemplateCard({ template, autoFocus }: { template: TemplateInfo; autoFocus: boolean }) {
  const id = useId();
  const { gallery } = template;
  return (
    <button
      className="template-card"
      onClick={() => void loadTemplate(template.id)}
      aria-labelledby={`${id}-name`}
      aria-describedby={`${id}-about`}
      title={template.description}
      data-autofocus={autoFocus ? true : undefined}
      data-testid="template-card"
    >
      <Thumbnail graph={template.graph} />
      <span className="template-card-name" id={`${id}-name`}>
        {template.name}
      </span>
      <span className="template-card-about" id={`${id}-about`}>
        {gallery ? (
          <>
            <span className="template-card-family" data-testid="card-family">
              {FAMILY_LABELS[gallery.family]}
            </span>
            <span className="template-card-teaches" data-testid="card-teaches">
              {gallery.teaches}
            </span>
            <span className="template-card-fact" data-testid="card-result">
              <span className="template-card-key">Reaches</span> {gallery.result}
            </span>
            <span className="template-card-fact" data-testid="card-time">
              <span className="template-card-key">On a laptop CPU</span> {gallery.cpuTime}
            </span>
          </>
        ) : (
          <span className="template-card-teaches">{template.description}</span>
        )}
      </span>
    </button>
  );
}
