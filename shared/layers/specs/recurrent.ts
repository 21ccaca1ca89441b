export const RECURRENT_SPECS = [] as const;
