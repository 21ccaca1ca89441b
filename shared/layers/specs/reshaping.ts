export const RESHAPING_SPECS = [] as const;
