export const NORMALIZATION_SPECS = [] as const;
