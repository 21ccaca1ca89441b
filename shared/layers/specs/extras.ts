export const EXTRA_SPECS = [] as const;
