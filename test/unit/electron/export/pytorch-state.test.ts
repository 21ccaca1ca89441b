import { beforeAll, describe, expect, it } from 'vitest';
import { compiledWithRandomWeights, templates } from './harness.js';
import { PYTORCH_WRITER } from '../../../../electron/export/pytorch/index.js';
import { modelSource } from '../../../../electron/export/pytorch/model-py.js';
import { decodeSafetensors, encodeSafetensors } from '../../../../electron/export/pytorch/safetensors.js';
import { weightsFromState } from '../../../../electron/export/pytorch/state.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { layerTypes } from '../../../../shared/layers/registry.js';
import { ALL_SAMPLERS } from '../../../fixtures/layers/index.js';
import { sampleGraph } from '../../../fixtures/layers/sample-graph.js';
import { createRng } from '../../../fixtures/layers/types.js';

/*
 * The PyTorch engine takes its weights back from PyTorch's state_dict: every layer's layout,
 * as the export writes it, undone. Through a safetensors file and back, every weight of every
 * template and of sampled configurations of every layer type must come back exactly.
 */

beforeAll(async () => {
  await selectBackend('cpu');
});

const cases: { name: string; graph: Graph }[] = [
  ...templates().map((p) => ({ name: p.name, graph: p.graph })),
  ...layerTypes()
    .filter((t) => t !== 'Input')
    .flatMap((type) => {
      const sampler = ALL_SAMPLERS.find((s) => s.type === type);
      if (!sampler) return [];
      const rng = createRng(7 + type.length);
      return Array.from({ length: 2 }, (_, k) => ({ name: `${type} #${k + 1}`, graph: sampleGraph(type, sampler.generate(rng)) }));
    }),
];

describe('tfjs weights through PyTorch’s state_dict and back', () => {
  it.each(cases)('$name', async ({ graph }) => {
    const { model, exported } = await compiledWithRandomWeights(graph, 3);
    try {
      if (PYTORCH_WRITER.refusals(exported).length > 0) return;
      const { state } = modelSource(exported);
      const file = encodeSafetensors(state.map((e) => ({ key: `model/${e.key}`, shape: e.shape, values: e.values })));
      const back = weightsFromState(state, decodeSafetensors(file, 'state.safetensors'), 'model/');
      const original = [...exported.weights.values()].flat();
      for (const w of original) {
        const values = back.get(w.name);
        expect(values, `${w.name} did not come back`).toBeDefined();
        expect(Array.from(values!)).toEqual(Array.from(w.values));
      }
    } finally {
      model.dispose();
    }
  });

  it('names the entry PyTorch did not give back, and one of another size', () => {
    const entry = { key: 'dense.weight', shape: [2, 3], values: new Float32Array(6), from: { name: 'dense/kernel', shape: [3, 2], perm: [1, 0] } };
    expect(() => weightsFromState([entry], new Map())).toThrow("PyTorch's weights have no dense.weight (the tfjs weight dense/kernel).");
    const short = new Map([['dense.weight', { key: 'dense.weight', shape: [2], values: new Float32Array(2) }]]);
    expect(() => weightsFromState([entry], short)).toThrow("PyTorch's dense.weight holds 2 values, but the tfjs weight dense/kernel has 6.");
  });

  it('refuses a safetensors file that is cut short or holds another dtype', () => {
    const file = encodeSafetensors([{ key: 'w', shape: [4], values: new Float32Array([1, 2, 3, 4]) }]);
    expect(decodeSafetensors(file, 'f').get('w')!.values).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(() => decodeSafetensors(file.subarray(0, file.length - 4), 'f')).toThrow("f is damaged: w's bytes do not fit its shape (4) or the file.");
    const text = new TextDecoder().decode(file).replace('"F32"', '"F16"');
    expect(() => decodeSafetensors(new TextEncoder().encode(text), 'f')).toThrow('f: w is F16; only F32 tensors are read.');
    expect(() => decodeSafetensors(new Uint8Array(3), 'f')).toThrow('f is not a safetensors file: it is only 3 bytes long.');
  });
});
