import * as tf from '@tensorflow/tfjs';

/**
 * tfjs-core 4.22 takes the gradient of `tile` one repetition at a time, a slice and an add
 * for each: LayerNormalization tiles its scale and offset over every (batch, step), so a
 * (64, 48, 64) input costs thousands of kernel calls per step. The same gradient in three
 * ops: view dy as (reps₀, d₀, reps₁, d₁, …) and sum over the repetition axes. The gradient
 * registry is global; importing this module installs it.
 */
tf.registerGradient({
  kernelName: 'Tile',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const reps = (attrs as { reps: number[] }).reps;
    return {
      x: () => {
        const grad = Array.isArray(dy) ? dy[0]! : dy;
        const interleaved = x.shape.flatMap((d, i) => [reps[i]!, d]);
        const repAxes = x.shape.map((_, i) => 2 * i);
        return tf.sum(tf.reshape(grad, interleaved), repAxes);
      },
    };
  },
});
