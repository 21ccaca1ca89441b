import { Message } from './protobuf.js';

/**
 * The messages of onnx.proto that NetCanvas writes, with its field numbers: ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto and ValueInfoProto.
 */

export const DataType = { FLOAT: 1, INT64: 7 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface Tensor {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Float32 values, or int64 ones for INT64. */
  values: Float32Array | readonly number[];
}

export type AttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: Tensor };

export interface Node {
  opType: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: Readonly<Record<string, AttributeValue>>;
}

/** A dimension: a size, or a name for one known only when the model runs ("batch"). */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  dataType: DataTypeCode;
  dims: readonly Dim[];
  doc?: string;
}

export interface Graph {
  name: string;
  nodes: readonly Node[];
  initializers: readonly Tensor[];
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  valueInfo: readonly ValueInfo[];
  doc?: string;
}

export interface Model {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion?: string;
  graph: Graph;
  doc?: string;
  metadata?: Readonly<Record<string, string>>;
}

function rawData(t: Tensor): Uint8Array {
  if (t.dataType === DataType.FLOAT) {
    const values = t.values as Float32Array;
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return bytes;
  }
  const values = t.values as readonly number[];
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return bytes;
}

export function tensorProto(t: Tensor): Message {
  const m = new Message();
  m.packedInts(1, t.dims);
  m.int(2, t.dataType);
  m.string(8, t.name);
  m.bytes(9, rawData(t));
  return m;
}

function attributeProto(name: string, a: AttributeValue): Message {
  const m = new Message().string(1, name);
  switch (a.kind) {
    case 'float':
      return m.int(20, AttributeType.FLOAT).float(2, a.value);
    case 'int':
      return m.int(20, AttributeType.INT).int(3, a.value);
    case 'string':
      return m.int(20, AttributeType.STRING).string(4, a.value);
    case 'floats':
      return m.int(20, AttributeType.FLOATS).packedFloats(7, a.value);
    case 'ints':
      return m.int(20, AttributeType.INTS).packedInts(8, a.value);
    case 'strings':
      m.int(20, AttributeType.STRINGS);
      for (const s of a.value) m.string(9, s);
      return m;
    case 'tensor':
      return m.int(20, AttributeType.TENSOR).message(5, tensorProto(a.value));
  }
}

function nodeProto(n: Node): Message {
  const m = new Message();
  for (const input of n.inputs) m.string(1, input);
  for (const output of n.outputs) m.string(2, output);
  m.string(3, n.name);
  m.string(4, n.opType);
  for (const [name, value] of Object.entries(n.attributes)) m.message(5, attributeProto(name, value));
  return m;
}

function valueInfoProto(v: ValueInfo): Message {
  const shape = new Message();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new Message().int(1, d) : new Message().string(2, d));
  const tensorType = new Message().int(1, v.dataType).message(2, shape);
  const m = new Message().string(1, v.name).message(2, new Message().message(1, tensorType));
  if (v.doc) m.string(3, v.doc);
  return m;
}

function graphProto(g: Graph): Message {
  const m = new Message();
  for (const n of g.nodes) m.message(1, nodeProto(n));
  m.string(2, g.name);
  for (const t of g.initializers) m.message(5, tensorProto(t));
  if (g.doc) m.string(10, g.doc);
  for (const v of g.inputs) m.message(11, valueInfoProto(v));
  for (const v of g.outputs) m.message(12, valueInfoProto(v));
  for (const v of g.valueInfo) m.message(13, valueInfoProto(v));
  return m;
}

/** A whole model file: the bytes of model.onnx. */
export function encodeModel(model: Model): Uint8Array {
  const m = new Message();
  m.int(1, model.irVersion);
  m.string(2, model.producerName);
  if (model.producerVersion) m.string(3, model.producerVersion);
  if (model.doc) m.string(6, model.doc);
  m.message(7, graphProto(model.graph));
  // The default domain ("") and its opset version.
  m.message(8, new Message().string(1, '').int(2, model.opset));
  for (const [key, value] of Object.entries(model.metadata ?? {})) m.message(14, new Message().string(1, key).string(2, value));
  return m.finish();
}
