/** Reader for the IDX format MNIST ships in (big-endian header, then raw unsigned bytes). */
import { product } from '../../shared/graph/types.js';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

export function parseIdx(buffer: Uint8Array, source: string): IdxArray {
  if (buffer.byteLength < 4) throw new Error(`${source}: too short to be an IDX file (${buffer.byteLength} bytes).`);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (view.getUint16(0) !== 0) throw new Error(`${source}: not an IDX file (bad magic number).`);
  const type = view.getUint8(2);
  if (type !== UBYTE) throw new Error(`${source}: IDX element type 0x${type.toString(16)} is not supported (only unsigned bytes).`);
  const rank = view.getUint8(3);
  const headerBytes = 4 + 4 * rank;
  if (buffer.byteLength < headerBytes) throw new Error(`${source}: IDX header is cut short.`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const expected = product(dims);
  const available = buffer.byteLength - headerBytes;
  if (available < expected) {
    throw new Error(`${source}: IDX data is cut short: header promises ${expected} bytes for dims ${dims.join('×')}, file holds ${available}.`);
  }
  return { dims, data: buffer.subarray(headerBytes, headerBytes + expected) };
}
