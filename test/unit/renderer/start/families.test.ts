import { describe, expect, it } from 'vitest';
import { familiesOf, inFamily } from '../../../../renderer/start/families.js';
import type { TemplateFamily } from '../../../../shared/project/schema.js';

const t = (id: string, family?: TemplateFamily) => ({ id, ...(family ? { gallery: { family } } : {}) });

describe('the gallery’s family filter', () => {
  it('offers only the families the templates have, in the registry’s order', () => {
    const templates = [t('gan', 'gan'), t('cnn', 'cnn'), t('plain'), t('cnn2', 'cnn')];
    expect(familiesOf(templates)).toEqual(['cnn', 'gan']);
    expect(inFamily(templates, 'cnn').map((x) => x.id)).toEqual(['cnn', 'cnn2']);
    expect(inFamily(templates, 'all').map((x) => x.id)).toEqual(['gan', 'cnn', 'plain', 'cnn2']);
  });
});
