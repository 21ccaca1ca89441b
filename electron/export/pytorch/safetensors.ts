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

/**
 * The float32 tensors of a safetensors file, by name; `where` names the file in errors. Any
 * other dtype, or a header or range that does not fit the bytes, is refused in words.
 */
export function decodeSafetensors(bytes: Uint8Array, where: string): Map<string, NamedTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8) throw new Error(`${where} is not a safetensors file: it is only ${bytes.byteLength} bytes long.`);
  const length = Number(view.getBigUint64(0, true));
  if (8 + length > bytes.byteLength) throw new Error(`${where} is damaged: its header says ${length} bytes, but the file has ${bytes.byteLength - 8} after the length.`);
  let header: Record<string, { dtype?: unknown; shape?: unknown; data_offsets?: unknown }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as typeof header;
  } catch {
    throw new Error(`${where} is damaged: its header is not JSON.`);
  }
  const start = 8 + length;
  const out = new Map<string, NamedTensor>();
  for (const [key, info] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    if (info.dtype !== 'F32') throw new Error(`${where}: ${key} is ${String(info.dtype)}; only F32 tensors are read.`);
    const shape = info.shape as number[];
    const [begin, end] = info.data_offsets as [number, number];
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * 4 || start + end > bytes.byteLength) throw new Error(`${where} is damaged: ${key}'s bytes do not fit its shape (${shape.join(', ')}) or the file.`);
    // A copy: the file's bytes need not be aligned for a Float32Array.
    const values = new Float32Array(new Uint8Array(bytes.subarray(start + begin, start + end)).buffer);
    out.set(key, { key, shape, values });
  }
  return out;
}
