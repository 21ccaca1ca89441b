import { TEMPLATE_FAMILIES, type TemplateFamily } from '../../shared/project/schema.js';

/** How the gallery names each family, on its cards and its filter. */
export const FAMILY_LABELS: Record<TemplateFamily, string> = {
  cnn: 'CNN',
  rnn: 'RNN',
  transformer: 'Transformer',
  gan: 'GAN',
  autoencoder: 'Autoencoder',
  tables: 'Tables',
  'time-series': 'Time series',
};

/** The filter's choice: every template, or one family. */
export type FamilyFilter = TemplateFamily | 'all';

interface WithFamily {
  gallery?: { family: TemplateFamily } | undefined;
}

/** The families the templates have, in the registry's order: the filter offers only these. */
export function familiesOf(templates: readonly WithFamily[]): TemplateFamily[] {
  const present = new Set(templates.map((t) => t.gallery?.family));
  return TEMPLATE_FAMILIES.filter((f) => present.has(f));
}

export function inFamily<T extends WithFamily>(templates: readonly T[], family: FamilyFilter): T[] {
  return family === 'all' ? [...templates] : templates.filter((t) => t.gallery?.family === family);
}
