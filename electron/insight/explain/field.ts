import type * as tf from '@tensorflow/tfjs';

/**
 * Where a spatial layer's pixels sit over the input image: each layer pixel's receptive field
 * centre, input = stride · index + offset along each axis. Valid convolutions and poolings
 * shrink the map around the middle (an 11 × 11 map of a 28 × 28 digit covers only its centre),
 * so a Grad-CAM map stretched edge to edge would be shifted and spread onto the border.
 */

export interface Axis {
  stride: number;
  offset: number;
}

export interface Field {
  y: Axis;
  x: Axis;
}

type Config = Record<string, unknown>;

const pair = (v: unknown, fallback: number): [number, number] => {
  if (Array.isArray(v)) return [Number(v[0] ?? fallback), Number(v[1] ?? v[0] ?? fallback)];
  return typeof v === 'number' ? [v, v] : [fallback, fallback];
};

/** A kernel's map from output index to the centre of what it reads, on one axis. */
function windowAxis(kernel: number, stride: number, dilation: number, padding: unknown, inSize: number, outSize: number): Axis {
  const span = dilation * (kernel - 1) + 1;
  const before = padding === 'same' ? Math.floor(Math.max((outSize - 1) * stride + span - inSize, 0) / 2) : 0;
  return { stride, offset: (span - 1) / 2 - before };
}

type Shape = (number | null)[];

/** One layer's map from its output pixels to its input's, or null when it is not known. */
function layerField(layer: tf.layers.Layer, inShape: Shape, outShape: Shape): Field | null {
  const config = layer.getConfig() as Config;
  const type = layer.getClassName();
  const [inH, inW] = [inShape[1] ?? 0, inShape[2] ?? 0];
  const [outH, outW] = [outShape[1] ?? 0, outShape[2] ?? 0];
  const kernel = config.kernelSize ?? config.poolSize;
  if (kernel !== undefined && /Conv|Pooling/.test(type)) {
    const [kh, kw] = pair(kernel, 1);
    const [sh, sw] = pair(config.strides ?? (config.kernelSize === undefined ? kernel : 1), 1);
    const [dh, dw] = pair(config.dilationRate, 1);
    return { y: windowAxis(kh, sh, dh, config.padding, inH, outH), x: windowAxis(kw, sw, dw, config.padding, inW, outW) };
  }
  if (type === 'ZeroPadding2D') {
    const padding = config.padding as [[number, number], [number, number]] | undefined;
    return { y: { stride: 1, offset: -(padding?.[0]?.[0] ?? 0) }, x: { stride: 1, offset: -(padding?.[1]?.[0] ?? 0) } };
  }
  if (type === 'Cropping2D') {
    const cropping = config.cropping as [[number, number], [number, number]] | undefined;
    return { y: { stride: 1, offset: cropping?.[0]?.[0] ?? 0 }, x: { stride: 1, offset: cropping?.[1]?.[0] ?? 0 } };
  }
  if (type === 'UpSampling2D') {
    const [fy, fx] = pair(config.size, 2);
    return { y: { stride: 1 / fy, offset: (1 / fy - 1) / 2 }, x: { stride: 1 / fx, offset: (1 / fx - 1) / 2 } };
  }
  // Normalization, activations, dropout, merges: each pixel stays where it is.
  if (inH === outH && inW === outW) return { y: { stride: 1, offset: 0 }, x: { stride: 1, offset: 0 } };
  return null;
}

const compose = (outer: Axis, inner: Axis): Axis => ({ stride: outer.stride * inner.stride, offset: outer.stride * inner.offset + outer.offset });

/** Where `layer`'s pixels sit over the network's input, following each layer's first input back; null through a layer whose geometry is not known. */
export function fieldOf(model: tf.LayersModel, layerName: string): Field | null {
  let field: Field = { y: { stride: 1, offset: 0 }, x: { stride: 1, offset: 0 } };
  let layer = model.getLayer(layerName);
  for (let steps = 0; layer.getClassName() !== 'InputLayer'; steps++) {
    const node = layer.inboundNodes[0] as unknown as { inboundLayers: tf.layers.Layer[]; inputShapes: Shape | Shape[]; outputShapes: Shape | Shape[] };
    const inShape = (Array.isArray(node.inputShapes[0]) ? node.inputShapes[0] : node.inputShapes) as Shape;
    const outShape = (Array.isArray(node.outputShapes[0]) ? node.outputShapes[0] : node.outputShapes) as Shape;
    if (inShape.length !== 4 || outShape.length !== 4 || steps > model.layers.length) return null;
    const own = layerField(layer, inShape, outShape);
    if (!own) return null;
    field = { y: compose(own.y, field.y), x: compose(own.x, field.x) };
    layer = node.inboundLayers[0]!;
  }
  return field;
}

/**
 * A (height × width) map of a layer resampled bilinearly onto the input's pixels, each input
 * pixel reading the map where its own centre falls (clamped at the map's edges).
 */
export function resample(map: ArrayLike<number>, height: number, width: number, outHeight: number, outWidth: number, field: Field): Float32Array {
  const out = new Float32Array(outHeight * outWidth);
  const at = (position: number, axis: Axis, size: number) => {
    const u = Math.min(Math.max((position - axis.offset) / axis.stride, 0), size - 1);
    const low = Math.floor(u);
    const high = Math.min(low + 1, size - 1);
    return { low, high, t: u - low };
  };
  for (let py = 0; py < outHeight; py++) {
    const y = at(py, field.y, height);
    for (let px = 0; px < outWidth; px++) {
      const x = at(px, field.x, width);
      const top = map[y.low * width + x.low]! * (1 - x.t) + map[y.low * width + x.high]! * x.t;
      const bottom = map[y.high * width + x.low]! * (1 - x.t) + map[y.high * width + x.high]! * x.t;
      out[py * outWidth + px] = top * (1 - y.t) + bottom * y.t;
    }
  }
  return out;
}

/** The edge-to-edge stretch, for a layer whose geometry is not known: pixel centres spread evenly over the input. */
export function stretched(height: number, width: number, outHeight: number, outWidth: number): Field {
  const axis = (size: number, outSize: number): Axis => ({ stride: outSize / size, offset: (outSize / size - 1) / 2 });
  return { y: axis(height, outHeight), x: axis(width, outWidth) };
}
