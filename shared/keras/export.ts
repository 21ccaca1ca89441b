import { kerasKey, uniqueLayerNames, type KerasLayerJson, type KerasModelJson, type TensorRef, type TfjsModelJson } from './format.js';
import { analyseNetwork } from '../graph/blocks.js';
import { isLayerRef, type Graph, type LayerRef, type ParamValue, type Params } from '../graph/types.js';
import { getLayerSpec, withDefaults } from '../layers/registry.js';
import type { LayerSpec } from '../layers/types.js';

/**
 * A graph → Keras functional JSON (what `model.to_json()` writes in Keras 2, which
 * `keras.models.model_from_json` and tfjs's `tf.models.modelFromJSON` both read) or a
 * TensorFlow.js model.json without weights (`tf.loadLayersModel`). Params map to config keys
 * through the specs. The two differ only in how a layer with named inputs is called.
 */

export const EXPORT_FORMATS = ['keras-json', 'tfjs-json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  'keras-json': 'Keras JSON (model.to_json)',
  'tfjs-json': 'TensorFlow.js model.json',
};

export type KerasExport =
  | { ok: true; json: KerasModelJson | TfjsModelJson; text: string }
  | { ok: false; error: { code: 'GRAPH_ERRORS'; message: string } };

/**
 * "Model" rather than "Functional": every Keras 2 release, Keras 3 and tfjs read it
 * (Keras before 2.4 knows no "Functional"), and tfjs writes it itself.
 */
const MODEL_CLASS = 'Model';
/** The Keras release whose JSON layout this follows. */
const KERAS_VERSION = '2.15.0';
const TFJS_VERSION = 'tfjs-layers 4.22.0';

export function exportModel(document: Graph, format: ExportFormat, modelName = 'model'): KerasExport {
  // Blocks are the canvas's: Keras sees their layers, named with the blocks' names in front.
  const { network: graph, inference } = analyseNetwork(document);
  if (inference.diagnostics.length > 0) {
    const count = inference.diagnostics.length;
    const list = inference.diagnostics.map((d) => (d.nodeId ? `[${d.nodeId}] ${d.message}` : d.message)).join(' ');
    return { ok: false, error: { code: 'GRAPH_ERRORS', message: `The network has ${count} problem${count === 1 ? '' : 's'} to fix before it can be exported: ${list}` } };
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const names = uniqueLayerNames(graph.nodes);
  const ref = (id: string, output = 0): TensorRef => [names.get(id)!, 0, output];

  // Keras 2 passes a layer's first argument as its inputs and the other named inputs by keyword
  // (MultiHeadAttention's value, key); tfjs-layers passes every input in the list, in slot order.
  const byKeyword = format === 'keras-json';
  const layers: KerasLayerJson[] = inference.order.flatMap((id): KerasLayerJson | KerasLayerJson[] => {
    const node = byId.get(id)!;
    const spec = getLayerSpec(node.type)!;
    const params = withDefaults(spec, node.params);
    const name = names.get(id)!;
    if (spec.inputs.max === 0) {
      const shape = spec.params.find((p) => p.kind === 'shape');
      const dims = shape ? (params[shape.name] as number[]) : [];
      return { class_name: spec.kerasClass, name, config: { batch_input_shape: [null, ...dims], dtype: 'float32', sparse: false, name }, inbound_nodes: [] };
    }
    const kwargs: Record<string, unknown> = {};
    for (const paramName of spec.callParams ?? []) {
      const param = spec.params.find((p) => p.name === paramName);
      if (param) kwargs[kerasKey(param)] = kerasValue(params[param.name], name);
    }
    const ports = inference.portsOf[id]!;
    const slots = spec.inputs.slots;
    const positional = slots && byKeyword ? ports.slice(0, 1) : ports;
    if (slots && byKeyword) ports.slice(1).forEach((port, i) => (kwargs[slots[i + 1]!] = ref(port.node, port.output)));
    // Keras's call needs its second input (MultiHeadAttention's value); with one input NetCanvas attends over it.
    if (slots && byKeyword && ports.length === 1 && slots.length > 1) kwargs[slots[1]!] = ref(ports[0]!.node, ports[0]!.output);
    if (spec.kerasAddsToInput && byKeyword) {
      const inner = `${name}_values`;
      const input = [...ref(ports[0]!.node, ports[0]!.output), {}] as [string, number, number, Record<string, unknown>];
      return [
        { class_name: spec.kerasClass, name: inner, config: layerConfig(spec, params, inner, node.frozen), inbound_nodes: [[input]] },
        { class_name: 'Add', name, config: { name, trainable: !node.frozen, dtype: 'float32' }, inbound_nodes: [[input, [inner, 0, 0, {}]]] },
      ];
    }
    return {
      class_name: spec.kerasClass,
      name,
      config: layerConfig(spec, params, name, node.frozen),
      inbound_nodes: [positional.map((port) => [...ref(port.node, port.output), kwargs] as [string, number, number, Record<string, unknown>])],
    };
  });

  const topology = (kerasVersion: string, backend: string): KerasModelJson => ({
    class_name: MODEL_CLASS,
    config: {
      name: modelLayerName(modelName),
      layers,
      input_layers: inference.inputIds.map((id) => ref(id)),
      output_layers: inference.outputIds.map((id) => ref(id)),
    },
    keras_version: kerasVersion,
    backend,
  });
  const json: KerasModelJson | TfjsModelJson =
    format === 'keras-json'
      ? topology(KERAS_VERSION, 'tensorflow')
      : { format: 'layers-model', generatedBy: 'NetCanvas', convertedBy: null, modelTopology: topology(TFJS_VERSION, 'tensor_flow.js'), weightsManifest: [] };
  return { ok: true, json, text: `${JSON.stringify(json, null, 2)}\n` };
}

function modelLayerName(name: string): string {
  return uniqueLayerNames([{ id: 'model', name: name.trim().replace(/\s+/g, '_') || 'model' }]).get('model')!;
}

/** A layer's Keras config: name, the generic param mapping (call params left out), then `toKeras`. */
function layerConfig(spec: LayerSpec, params: Params, name: string, frozen = false): Record<string, unknown> {
  const config: Record<string, unknown> = { name, trainable: !frozen, dtype: 'float32' };
  const callParams = new Set(spec.callParams ?? []);
  for (const param of spec.params) {
    if (!callParams.has(param.name)) config[kerasKey(param)] = kerasValue(params[param.name], name);
  }
  return { ...config, ...spec.toKeras?.(params) };
}

function kerasValue(value: ParamValue | undefined, outerName: string): unknown {
  if (isLayerRef(value)) return nestedLayer(value, outerName);
  return Array.isArray(value) ? [...value] : (value ?? null);
}

/** A wrapped layer as Keras nests it: `{class_name, config}`. */
function nestedLayer(ref: LayerRef, outerName: string): unknown {
  const spec = getLayerSpec(ref.type);
  if (!spec) return null; // inference has already refused an unknown nested type
  return { class_name: spec.kerasClass, config: layerConfig(spec, withDefaults(spec, ref.params), `${outerName}_${ref.type.toLowerCase()}`) };
}
