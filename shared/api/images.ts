import { z } from 'zod';

/** Images as 8-bit pixels, row after row, packed in base64: small enough to stream every epoch. */
export const imageBatchSchema = z.object({
  count: z.number().int(),
  height: z.number().int(),
  width: z.number().int(),
  channels: z.union([z.literal(1), z.literal(3)]),
  pixels: z.string(),
});
export type ImageBatch = z.infer<typeof imageBatchSchema>;
