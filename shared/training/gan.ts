import type { Inference } from '../graph/infer.js';
import { formatShape, type Graph, type Shape } from '../graph/types.js';
import type { GanRoles } from '../project/schema.js';

/** One of a GAN's two networks: where it starts, where it ends, and every layer in it. */
export interface GanPart {
  input: string;
  output: string;
  nodes: string[];
}

export type GanSplit = { ok: true; generator: GanPart; discriminator: GanPart; latentDim: number } | { ok: false; problems: string[] };

/** The layers reachable from `start` along connections in either direction. */
function component(graph: Graph, start: string): Set<string> {
  const neighbours = new Map<string, string[]>();
  for (const n of graph.nodes) neighbours.set(n.id, []);
  for (const e of graph.edges) {
    neighbours.get(e.source)?.push(e.target);
    neighbours.get(e.target)?.push(e.source);
  }
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const next of neighbours.get(stack.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

const sameShape = (a: Shape | undefined, b: readonly number[]) => a !== undefined && a.length === b.length + 1 && b.every((d, i) => a[i + 1] === d);

/**
 * Splits a GAN's canvas into its generator and discriminator: two separate networks, one
 * from noise to an image shaped like the data, one from such an image to a single
 * real-or-fake score. `roles` names the two Inputs; without it the Input shaped like the
 * data is the discriminator's. Problems come back as sentences that say what to change.
 */
export function splitGan(graph: Graph, inference: Inference, dataShape: readonly number[], roles?: GanRoles): GanSplit {
  const nameOf = (id: string) => {
    const node = graph.nodes.find((n) => n.id === id);
    return node?.name ? `"${node.name}"` : `"${id}"`;
  };
  const shapeOf = (id: string) => inference.nodes[id]?.outputShape;
  const inputs = inference.inputIds;
  if (inputs.length !== 2) {
    return {
      ok: false,
      problems: [`A GAN needs two networks on the canvas, each with its own Input: a generator that starts from noise and a discriminator that starts from an image. This canvas has ${inputs.length} Input layer${inputs.length === 1 ? '' : 's'}.`],
    };
  }
  let generatorInput = roles?.generatorInput;
  let discriminatorInput = roles?.discriminatorInput;
  if (!generatorInput || !discriminatorInput) {
    const imageInputs = inputs.filter((id) => sameShape(shapeOf(id), dataShape));
    if (imageInputs.length !== 1) {
      return {
        ok: false,
        problems: [`Mark which Input is the discriminator's: exactly one Input should have the data's shape ${formatShape([null, ...dataShape])}, and ${imageInputs.length} do.`],
      };
    }
    discriminatorInput = imageInputs[0]!;
    generatorInput = inputs.find((id) => id !== discriminatorInput)!;
  }
  for (const id of [generatorInput, discriminatorInput]) {
    if (!inputs.includes(id)) return { ok: false, problems: [`The GAN roles name ${nameOf(id)}, which is not an Input layer on this canvas.`] };
  }
  if (generatorInput === discriminatorInput) return { ok: false, problems: ['The generator and the discriminator must start from different Input layers.'] };

  const genNodes = component(graph, generatorInput);
  const discNodes = component(graph, discriminatorInput);
  if (genNodes.has(discriminatorInput)) {
    return {
      ok: false,
      problems: [`The generator (from ${nameOf(generatorInput)}) and the discriminator (from ${nameOf(discriminatorInput)}) are connected: keep them as two separate networks; training feeds the generator's images to the discriminator itself.`],
    };
  }
  const problems: string[] = [];
  const outputIn = (nodes: Set<string>) => inference.outputIds.filter((id) => nodes.has(id));
  const genOutputs = outputIn(genNodes);
  const discOutputs = outputIn(discNodes);
  if (genOutputs.length !== 1) problems.push(`The generator must end in one layer; it ends in ${genOutputs.length}.`);
  if (discOutputs.length !== 1) problems.push(`The discriminator must end in one layer; it ends in ${discOutputs.length}.`);
  const noise = shapeOf(generatorInput);
  if (noise && noise.length !== 2) {
    problems.push(`The generator's Input ${nameOf(generatorInput)} should be a flat noise vector such as (?, 64); it is ${formatShape(noise)}.`);
  }
  if (genOutputs.length === 1 && !sameShape(shapeOf(genOutputs[0]!), dataShape)) {
    problems.push(
      `The generator's last layer ${nameOf(genOutputs[0]!)} makes ${formatShape(shapeOf(genOutputs[0]!) ?? [])}, but the discriminator judges images of ${formatShape([null, ...dataShape])}: make them match.`,
    );
  }
  if (!sameShape(shapeOf(discriminatorInput), dataShape)) {
    problems.push(`The discriminator's Input ${nameOf(discriminatorInput)} must have the data's shape ${dataShape.join(',')}.`);
  }
  if (discOutputs.length === 1) {
    const score = shapeOf(discOutputs[0]!);
    if (!score || score.length !== 2 || score[1] !== 1) {
      problems.push(`The discriminator's last layer ${nameOf(discOutputs[0]!)} must give one score per image, (?, 1), such as Dense with 1 unit and sigmoid; it gives ${formatShape(score ?? [])}.`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const order = (nodes: Set<string>) => inference.order.filter((id) => nodes.has(id));
  return {
    ok: true,
    generator: { input: generatorInput, output: genOutputs[0]!, nodes: order(genNodes) },
    discriminator: { input: discriminatorInput, output: discOutputs[0]!, nodes: order(discNodes) },
    latentDim: noise![1]!,
  };
}
