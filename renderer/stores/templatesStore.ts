import { create } from 'zustand';
import type { TemplateInfo } from '../../shared/api/contract';

/** The templates the Backend offers, asked for once per window. */
export const useTemplatesStore = create<{ templates: readonly TemplateInfo[]; asked: boolean }>()(() => ({ templates: [], asked: false }));
