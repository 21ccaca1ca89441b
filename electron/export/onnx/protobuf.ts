/**
 * The few protocol-buffer encodings ONNX files use: varints, length-delimited fields
 * (strings, bytes, nested messages) and packed repeated numbers. Fields are written in the
 * order they are added; a message is a list of its encoded fields.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH = 2;

const utf8 = new TextEncoder();

/** An int64 as protobuf writes it: negatives in two's complement, ten bytes. */
function varint(value: number | bigint, out: number[]): void {
  let v = BigInt.asUintN(64, BigInt(value));
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

export class Message {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  private header(field: number, wire: number, extra: number[] = []): number[] {
    const out: number[] = [];
    varint((field << 3) | wire, out);
    return out.concat(extra);
  }

  int(field: number, value: number | bigint): this {
    const out = this.header(field, WIRE_VARINT);
    varint(value, out);
    this.push(Uint8Array.from(out));
    return this;
  }

  float(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(Uint8Array.from(this.header(field, WIRE_FIXED32)));
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    const out = this.header(field, WIRE_LENGTH);
    varint(value.length, out);
    this.push(Uint8Array.from(out));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  message(field: number, value: Message): this {
    return this.bytes(field, value.finish());
  }

  /** Repeated int64, packed (one length-delimited field). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const out: number[] = [];
    for (const v of values) varint(v, out);
    return this.bytes(field, Uint8Array.from(out));
  }

  /** Repeated float, packed. */
  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, bytes);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
