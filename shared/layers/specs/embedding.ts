export const EMBEDDING_SPECS = [] as const;
