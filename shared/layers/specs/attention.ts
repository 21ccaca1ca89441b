export const ATTENTION_SPECS = [] as const;
