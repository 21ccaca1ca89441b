/** One float32 tensor of a safetensors file. */
export interface NamedTensor {
  key: string;
  shape: readonly number[];
  values: Float32Array;
}

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range (after the header), then the raw little-endian data.
 */
export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', ...metadata } };
  let offset = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.values.length) throw new Error(`The tensor ${t.key} of shape (${t.shape.join(', ')}) holds ${t.values.length} values, not ${count}.`);
    if (t.key in header) throw new Error(`Two tensors are named ${t.key}.`);
    header[t.key] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + t.values.byteLength] };
    offset += t.values.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // The data starts on an 8-byte boundary; the header is padded with spaces, as the reference writer does.
  const head = new Uint8Array(json.length + ((8 - ((8 + json.length) % 8)) % 8)).fill(0x20);
  head.set(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    // Float32Array is in the machine's order; every platform Node runs on here is little-endian.
    out.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), at);
    at += t.values.byteLength;
  }
  return out;
}
