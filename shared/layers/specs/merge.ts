export const MERGE_SPECS = [] as const;
