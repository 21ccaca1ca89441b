import { channelsFirst, channelsLast } from './convolution.js';
import { inner, type LayerEmitter } from '../layer.js';

export const RESHAPING_EMITTERS: Record<string, LayerEmitter> = {
  // The shape inference worked out, with -1 for the batch.
  Reshape: { emit: (c) => [c.b.reshape(c.inputs[0]!, [-1, ...inner(c.outputShapes[0]!)])] },
  Permute: { emit: (c) => [c.b.transpose(c.inputs[0]!, [0, ...(c.params.dims as number[])])] },
  RepeatVector: {
    emit: (c) => {
      const features = inner(c.inputShapes[0]!)[0]!;
      return [c.b.op1('Expand', [c.b.unsqueeze(c.inputs[0]!, [1]), c.b.ints([1, c.params.n as number, features])])];
    },
  },
  UpSampling2D: {
    // tfjs resizes with align_corners and half_pixel_centers off: source = destination / scale.
    emit: (c) => {
      const [sh, sw] = c.params.size as number[];
      const nearest = c.params.interpolation === 'nearest';
      const x = channelsFirst(c.b, c.inputs[0]!, 4);
      const y = c.b.op1('Resize', [x, '', c.b.floats('scales', [4], [1, 1, sh!, sw!])], {
        mode: nearest ? 'nearest' : 'linear',
        coordinate_transformation_mode: 'asymmetric',
        ...(nearest ? { nearest_mode: 'floor' } : {}),
      });
      return [channelsLast(c.b, y, 4)];
    },
  },
  ZeroPadding2D: {
    emit: (c) => {
      const [top, bottom, left, right] = c.params.padding as number[];
      return [c.b.op1('Pad', [c.inputs[0]!, c.b.ints([0, top!, left!, 0, 0, bottom!, right!, 0], 'pads')], { mode: 'constant' })];
    },
  },
  Cropping2D: {
    emit: (c) => {
      const [top, bottom, left, right] = c.params.cropping as number[];
      const [height, width] = inner(c.inputShapes[0]!);
      const starts = c.b.ints([top!, left!], 'starts');
      const ends = c.b.ints([height! - bottom!, width! - right!], 'ends');
      return [c.b.op1('Slice', [c.inputs[0]!, starts, ends, c.b.ints([1, 2], 'axes')])];
    },
  },
};
