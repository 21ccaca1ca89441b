import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inferGraph } from '../../../../shared/graph/infer.js';
import type { Graph } from '../../../../shared/graph/types.js';
import { projectSchema } from '../../../../shared/project/schema.js';
import { splitGan } from '../../../../shared/training/gan.js';
import { chain, node } from '../../../fixtures/graphs.js';

const dcgan = projectSchema.parse(JSON.parse(readFileSync('templates/dcgan-mnist.netcanvas.json', 'utf8')));
const split = (g: Graph, roles?: { generatorInput: string; discriminatorInput: string }) => splitGan(g, inferGraph(g), [28, 28, 1], roles);

const generator = () => chain(node('z', 'Input', { shape: [16] }), node('g', 'Dense', { units: 784, activation: 'sigmoid' }), node('img', 'Reshape', { targetShape: [28, 28, 1] }));
const discriminator = () => chain(node('x', 'Input', { shape: [28, 28, 1] }), node('f', 'Flatten'), node('score', 'Dense', { units: 1, activation: 'sigmoid' }));
const both = (): Graph => ({ nodes: [...generator().nodes, ...discriminator().nodes], edges: [...generator().edges, ...discriminator().edges] });

describe('splitting a GAN canvas', () => {
  it('finds the generator and the discriminator of the DCGAN template', () => {
    const result = split(dcgan.graph, dcgan.training.gan);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.generator).toMatchObject({ input: 'noise', output: 'g_image' });
    expect(result.discriminator).toMatchObject({ input: 'image', output: 'd_score' });
    expect(result.latentDim).toBe(64);
    expect(result.generator.nodes).toHaveLength(9);
    expect(result.discriminator.nodes).toHaveLength(8);
  });

  it('tells the roles apart by shape when they are not marked', () => {
    const result = split(both());
    expect(result.ok && [result.generator.input, result.discriminator.input]).toEqual(['z', 'x']);
  });

  it('explains a canvas with one network', () => {
    expect(split(generator())).toEqual({ ok: false, problems: [expect.stringMatching(/needs two networks.*has 1 Input layer\./)] });
  });

  it('refuses connected networks and says why', () => {
    const g = both();
    g.edges.push({ id: 'bridge', source: 'img', target: 'f' });
    expect(split(g, { generatorInput: 'z', discriminatorInput: 'x' })).toMatchObject({ ok: false, problems: [expect.stringMatching(/are connected: keep them as two separate networks/)] });
  });

  it('names a generator whose image does not match the data, and a score that is not one number', () => {
    const g = both();
    g.nodes.find((n) => n.id === 'img')!.params = { targetShape: [14, 56, 1] };
    g.nodes.find((n) => n.id === 'score')!.params = { units: 2, activation: 'sigmoid' };
    const result = split(g, { generatorInput: 'z', discriminatorInput: 'x' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.stringContaining('The generator\'s last layer "img" makes (?, 14, 56, 1), but the discriminator judges images of (?, 28, 28, 1)'),
      expect.stringContaining('must give one score per image, (?, 1)'),
    ]);
  });
});
