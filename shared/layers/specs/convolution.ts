export const CONVOLUTION_SPECS = [] as const;
