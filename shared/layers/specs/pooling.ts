export const POOLING_SPECS = [] as const;
