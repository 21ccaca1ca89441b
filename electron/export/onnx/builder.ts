import { DataType, type AttributeValue, type Node, type Tensor } from './proto.js';

type Attribute = number | string | readonly number[] | readonly string[] | { float: number } | { floats: readonly number[] } | { tensor: Tensor };

/** Plain values as ONNX attributes: whole numbers are ints, `{float}` marks a float. */
function attribute(value: Attribute): AttributeValue {
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return { kind: 'int', value };
  if (Array.isArray(value)) {
    return value.every((v) => typeof v === 'string') && value.length > 0
      ? { kind: 'strings', value: value as readonly string[] }
      : { kind: 'ints', value: value as readonly number[] };
  }
  if ('float' in (value as object)) return { kind: 'float', value: (value as { float: number }).float };
  if ('tensor' in (value as object)) return { kind: 'tensor', value: (value as { tensor: Tensor }).tensor };
  return { kind: 'floats', value: (value as { floats: readonly number[] }).floats };
}

/**
 * An ONNX graph being written: nodes in order, initializers (weights and constants), and
 * fresh names for values. A layer's nodes and constants are named after the layer, so
 * Netron shows where each came from.
 */
export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private readonly used = new Set<string>();
  /** The layer whose nodes are being written; names start with it. */
  scope = 'model';

  /** A name not used before, `scope/hint` or with a number after it. */
  fresh(hint: string): string {
    const base = `${this.scope}/${hint}`;
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name exactly (graph inputs). */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  /** One node; returns the names of its `outputs` outputs. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}, outputs = 1): string[] {
    const names = Array.from({ length: outputs }, (_, i) => this.fresh(outputs === 1 ? opType : `${opType}_out${i}`));
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_node`),
      inputs,
      outputs: names,
      attributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, attribute(v)])),
    });
    return names;
  }

  /** A one-output node. */
  op1(opType: string, inputs: readonly string[], attributes: Record<string, Attribute> = {}): string {
    return this.op(opType, inputs, attributes)[0]!;
  }

  /** A float32 constant (a weight, or a value of NetCanvas's own). */
  floats(hint: string, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: DataType.FLOAT, dims: [...dims], values: Float32Array.from(values) });
    return name;
  }

  scalar(value: number, hint = 'constant'): string {
    return this.floats(hint, [], [value]);
  }

  /** A 1-D int64 constant: shapes, axes, pads. */
  ints(values: readonly number[], hint = 'shape'): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: DataType.INT64, dims: [values.length], values: [...values] });
    return name;
  }

  /** Zeros of (batch of `like`, …dims): a recurrent layer's first state. */
  zeros(like: string, dims: readonly number[]): string {
    const batch = this.slice(this.op1('Shape', [like]), 0, 0, 1);
    const shape = this.op1('Concat', [batch, this.ints(dims)], { axis: 0 });
    return this.op1('ConstantOfShape', [shape], { value: { tensor: { name: 'value', dataType: DataType.FLOAT, dims: [1], values: new Float32Array(1) } } });
  }

  transpose(x: string, perm: readonly number[]): string {
    return perm.every((p, i) => p === i) ? x : this.op1('Transpose', [x], { perm });
  }

  /** Reshape to `dims`, where -1 is the batch (or whatever is left). */
  reshape(x: string, dims: readonly number[]): string {
    return this.op1('Reshape', [x, this.ints(dims)]);
  }

  unsqueeze(x: string, axes: readonly number[]): string {
    return this.op1('Unsqueeze', [x, this.ints(axes, 'axes')]);
  }

  squeeze(x: string, axes: readonly number[]): string {
    return this.op1('Squeeze', [x, this.ints(axes, 'axes')]);
  }

  add(a: string, b: string): string {
    return this.op1('Add', [a, b]);
  }

  mul(a: string, b: string): string {
    return this.op1('Mul', [a, b]);
  }

  matmul(a: string, b: string): string {
    return this.op1('MatMul', [a, b]);
  }

  /** Reverses `axis` (reads a sequence from its end). */
  reverse(x: string, axis: number): string {
    return this.op1('Slice', [x, this.ints([-1], 'starts'), this.ints([-(2 ** 62)], 'ends'), this.ints([axis], 'axes'), this.ints([-1], 'steps')]);
  }

  /** Elements [start, end) of `axis`. */
  slice(x: string, axis: number, start: number, end: number): string {
    return this.op1('Slice', [x, this.ints([start], 'starts'), this.ints([end], 'ends'), this.ints([axis], 'axes')]);
  }
}
