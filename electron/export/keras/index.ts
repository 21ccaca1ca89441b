import { kerasWeightsFile, type KerasLayerWeights } from './h5.js';
import { LAYOUTS, type Layout, type NamePair } from './layout.js';
import { kerasLayerOrder } from './order.js';
import { kerasReadme, loadKerasScript, WEIGHTS_FILE } from './script.js';
import { exportModel } from '../../../shared/keras/export.js';
import type { KerasModelJson } from '../../../shared/keras/format.js';
import { getLayerSpec, withDefaults } from '../../../shared/layers/registry.js';
import { kerasMaskRefusals } from '../mask.js';
import { describeNode, ExportRefused, type ExportFile, type ModelToExport, type Refusal, type TargetWriter, type Weight } from '../model.js';

/**
 * Keras: model.json (`model.to_json()` of Keras 2, from shared/keras/export.ts), the weights
 * as Keras 2's `save_weights('model_weights.h5')` writes them, a script that loads both and
 * predicts, and a README.
 */

interface Planned {
  json: { text: string; model: KerasModelJson };
  /** Keras layer name → its weights, for layers with any. */
  weights: Map<string, KerasLayerWeights>;
  refusals: Refusal[];
}

function keras(model: ModelToExport): { text: string; model: KerasModelJson } {
  const result = exportModel(model.graph, 'keras-json', model.name);
  if (!result.ok) throw new Error(result.error.message);
  return { text: result.text, model: result.json as KerasModelJson };
}

/** Each node's weights under Keras's names, or the refusals of the nodes that cannot have them. */
export function plan(model: ModelToExport, layouts: Readonly<Record<string, Layout>> = LAYOUTS): Planned {
  const json = keras(model);
  const byName = new Map(json.model.config.layers.map((l) => [l.name, l]));
  const weights = new Map<string, KerasLayerWeights>();
  const refusals: Refusal[] = [];
  for (const node of model.graph.nodes) {
    const refuse = (reason: string) => refusals.push({ nodeId: node.id, layer: describeNode(model.graph, node.id), reason });
    const spec = getLayerSpec(node.type);
    const layout = layouts[node.type];
    if (!spec || !layout) {
      refuse(`NetCanvas does not know how Keras names and orders the weights of ${node.type}.`);
      continue;
    }
    const name = model.layerNames.get(node.id)!;
    // Where Keras's class returns only what NetCanvas adds to its input, the JSON writes it as
    // `<name>_values` followed by an Add named `<name>`: the weights belong to the first.
    const kerasName = spec.kerasAddsToInput ? `${name}_values` : name;
    const layer = byName.get(kerasName);
    if (!layer) {
      refuse(`the Keras JSON has no layer "${kerasName}" to hold its weights.`);
      continue;
    }
    const nested = (layer.config.layer as { config?: { name?: unknown } } | undefined)?.config?.name;
    const pairs = layout({ params: withDefaults(spec, node.params), nestedName: typeof nested === 'string' ? nested : null });
    if ('refuse' in pairs) {
      refuse(pairs.refuse);
      continue;
    }
    const matched = matchWeights(name, pairs, model.weights.get(node.id) ?? []);
    if (typeof matched === 'string') {
      refuse(matched);
      continue;
    }
    if (matched.length > 0) weights.set(kerasName, { name: kerasName, weights: matched.map((w, i) => ({ ...w, name: `${kerasName}/${pairs[i]!.keras}:0` })) });
  }
  // Keras layers that honour a padding mask tfjs's ignore would load and compute something else.
  refusals.push(...kerasMaskRefusals(model));
  return { json, weights, refusals };
}

/** tfjs's weights of one layer in Keras's order, or what differs from what Keras expects. */
function matchWeights(layerName: string, pairs: readonly NamePair[], held: readonly Weight[]): Weight[] | string {
  const byName = new Map(held.map((w) => [w.name, w]));
  const expected = pairs.map((p) => `${layerName}/${p.tfjs}`);
  const missing = expected.filter((n) => !byName.has(n));
  const extra = held.filter((w) => !expected.includes(w.name)).map((w) => w.name);
  if (missing.length > 0 || extra.length > 0) {
    const list = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');
    return `its TensorFlow.js weights (${list(held.map((w) => w.name))}) are not the ones its Keras layer has (${list(expected)}), so they cannot be written under Keras's names.`;
  }
  return expected.map((n) => byName.get(n)!);
}

export function kerasWriter(layouts: Readonly<Record<string, Layout>> = LAYOUTS): TargetWriter {
  return {
    refusals: (model) => plan(model, layouts).refusals,
    async files(model): Promise<ExportFile[]> {
      const planned = plan(model, layouts);
      if (planned.refusals.length > 0) throw new ExportRefused('keras', planned.refusals);
      const order = kerasLayerOrder(planned.json.model);
      const layers = order.map((name) => planned.weights.get(name) ?? { name, weights: [] });
      return [
        { path: 'model.json', data: planned.json.text },
        { path: WEIGHTS_FILE, data: await kerasWeightsFile(layers) },
        { path: 'load_keras.py', data: loadKerasScript(model, planned.json.model) },
        { path: 'README.md', data: kerasReadme(model, planned.json.model) },
      ];
    },
  };
}

export const KERAS_WRITER: TargetWriter = kerasWriter();
