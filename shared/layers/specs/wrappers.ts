export const WRAPPER_SPECS = [] as const;
