import { emitLayer, Unsupported, type StateEntry } from './layers.js';
import { snippetsFor } from './library.js';
import { maskRefusals } from '../mask.js';
import { describeNode, type ModelToExport, type Refusal } from '../model.js';
import type { GraphNode } from '../../../shared/graph/types.js';
import { getLayerSpec, withDefaults } from '../../../shared/layers/registry.js';

/** model.py's text and the state_dict it loads, keyed by PyTorch's names. */
export interface ModelSource {
  className: string;
  source: string;
  state: StateEntry[];
}

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Names a layer's attribute or variable may not take: nn.Module's own attributes and the names model.py uses. */
const TAKEN = new Set([
  'self', 'torch', 'nn', 'F', 'np', 'math', 'json', 'os', 'input', 'forward', 'training', 'train', 'eval', 'to', 'cuda', 'cpu', 'float', 'double', 'half',
  'type', 'apply', 'modules', 'children', 'parameters', 'buffers', 'state_dict', 'load_state_dict', 'zero_grad', 'add_module', 'register_buffer',
  'register_parameter', 'named_modules', 'named_children', 'named_parameters', 'named_buffers', 'requires_grad_', 'share_memory', 'extra_repr',
  'get_submodule', 'get_parameter', 'get_buffer', 'dump_patches', 'call_super_init', 'build_model', 'load_model', 'read_safetensors',
  'freeze_layers', 'FROZEN',
]);

/** Python identifiers for the layers, from their tfjs names, each unique and clear of Python's and PyTorch's names. */
export function pythonNames(model: ModelToExport): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const node of model.graph.nodes) {
    const base = (model.layerNames.get(node.id) ?? node.id).replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, 'l_');
    let name = PYTHON_KEYWORDS.has(base) || TAKEN.has(base) || base.startsWith('__') ? `${base}_` : base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    out.set(node.id, name);
  }
  return out;
}

/** The reason an Embedding with Mask zero is refused: a layer after it computes with its padding mask in tfjs. */
function maskProblem(model: ModelToExport, node: GraphNode): string | null {
  return maskRefusals(model, 'PyTorch').find((r) => r.nodeId === node.id)?.reason.replace(/\.$/, '') ?? null;
}

function nodeParams(node: GraphNode) {
  return withDefaults(getLayerSpec(node.type)!, node.params);
}

function emitNode(model: ModelToExport, node: GraphNode) {
  const inference = model.inference;
  const ports = inference.portsOf[node.id] ?? [];
  return emitLayer({
    type: node.type,
    params: nodeParams(node),
    inputShapes: ports.map((port) => inference.nodes[port.node]!.outputShapes![port.output]!),
    outputShapes: inference.nodes[node.id]!.outputShapes!,
    weights: model.weights.get(node.id) ?? [],
  });
}

/** Every layer model.py cannot reproduce exactly, with the reason. */
export function pytorchRefusals(model: ModelToExport): Refusal[] {
  const refusals: Refusal[] = [];
  for (const node of model.graph.nodes) {
    if (node.type === 'Input') continue;
    let reason = getLayerSpec(node.type) ? maskProblem(model, node) : `the layer type ${node.type} is not in NetCanvas's registry`;
    if (!reason) {
      try {
        emitNode(model, node);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        reason = error.message;
      }
    }
    if (reason) refusals.push({ nodeId: node.id, layer: describeNode(model.graph, node.id), reason: reason.charAt(0).toUpperCase() + reason.slice(1) + '.' });
  }
  return refusals;
}

/** Snippet and module class names model.py defines, which the model's class must not take. */
const DEFINED = new Set(['Conv1d', 'Conv2d', 'ConvTranspose2d', 'SeparableConv2d', 'Pool', 'BatchNorm', 'LayerNorm', 'GaussianNoise', 'Recurrent', 'Bidirectional', 'MultiHeadAttention', 'TransformerEncoder', 'PositionEmbedding', 'TokenAndPositionEmbedding']);

/** Whether an Input feeds token ids to an embedding (so predict.py and train.py give it whole numbers). */
export function takesTokenIds(model: ModelToExport, inputId: string): boolean {
  const byId = new Map(model.graph.nodes.map((n) => [n.id, n]));
  return model.graph.edges.some((e) => e.source === inputId && ['Embedding', 'TokenAndPositionEmbedding'].includes(byId.get(e.target)?.type ?? ''));
}

export function modelSource(model: ModelToExport): ModelSource {
  const names = pythonNames(model);
  const byId = new Map(model.graph.nodes.map((n) => [n.id, n]));
  const inference = model.inference;
  const snippets = new Set<string>();
  const modules: string[] = [];
  const lines: string[] = [];
  const state: StateEntry[] = [];
  const variables = new Map<string, string[]>();
  const frozen: string[] = [];
  for (const id of inference.order) {
    const node = byId.get(id)!;
    const name = names.get(id)!;
    if (node.type === 'Input') {
      variables.set(id, [name]);
      continue;
    }
    const emitted = emitNode(model, node);
    emitted.snippets.forEach((s) => snippets.add(s));
    if (emitted.module !== null) {
      modules.push(`        self.${name} = ${emitted.module}`);
      if (node.frozen) frozen.push(name);
      for (const e of emitted.state) state.push({ ...e, key: `${name}.${e.key}` });
    }
    const inputs = (inference.portsOf[id] ?? []).map((port) => variables.get(port.node)![port.output]!);
    const outputs = inference.nodes[id]!.outputShapes!.map((_, i) => (i === 0 ? name : `${name}_${i}`));
    variables.set(id, outputs);
    lines.push(`        ${outputs.join(', ')} = ${emitted.call(inputs, `self.${name}`)}`);
  }
  const inputNames = inference.inputIds.map((id) => names.get(id)!);
  const outputVariables = inference.outputIds.map((id) => variables.get(id)![0]!);
  const className = DEFINED.has(model.name) ? `${model.name}Model` : model.name;
  const shapes = inference.inputIds.map((id) => inference.nodes[id]!.outputShape!.slice(1));
  const dtypes = inference.inputIds.map((id) => (takesTokenIds(model, id) ? 'int64' : 'float32'));
  const inputDoc = inference.inputIds.map((id, i) => `${names.get(id)} (batch, ${shapes[i]!.join(', ')}) ${dtypes[i]}`).join('; ');
  const source = `"""
${className}: exported from NetCanvas${model.runId ? ` (run ${model.runId})` : ''}.

Tensors are channels-last between layers, as in NetCanvas and its datasets: an image is
(batch, height, width, channels); convolutions and pooling permute around PyTorch's
channels-first ops. forward() takes and returns tensors shaped as NetCanvas's layers do.
Needs only torch and numpy.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_NAMES = ${pyList(inputNames)}
INPUT_SHAPES = ${pyList(shapes.map((s) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`), false)}
INPUT_DTYPES = ${pyList(dtypes)}
OUTPUT_NAMES = ${pyList(inference.outputIds.map((id) => names.get(id)!))}
# Layers frozen in NetCanvas: their weights stay as they are while training, and a frozen
# BatchNorm always normalizes with its running statistics, even in train mode.
FROZEN = ${pyList(frozen)}
WEIGHTS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'weights.safetensors')


${snippetsFor(snippets).join('\n\n\n')}${snippets.size > 0 ? '\n\n\n' : ''}class ${className}(nn.Module):
    """Inputs: ${inputDoc}."""

    def __init__(self):
        super().__init__()
${modules.length > 0 ? modules.join('\n') : '        pass'}

    def forward(self, ${inputNames.join(', ')}):
${lines.join('\n')}
        return ${outputVariables.length === 1 ? outputVariables[0] : outputVariables.join(', ')}


def read_safetensors(path):
    """The tensors of a .safetensors file (float32), by name: 8 bytes of header length, a JSON header, the raw data."""
    with open(path, 'rb') as f:
        data = f.read()
    length = int.from_bytes(data[:8], 'little')
    header = json.loads(data[8:8 + length].decode('utf-8'))
    start = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        if info['dtype'] != 'F32':
            raise ValueError(f'{path}: {name} is {info["dtype"]}; this reader takes F32 only')
        begin, end = info['data_offsets']
        values = np.frombuffer(data, dtype='<f4', count=(end - begin) // 4, offset=start + begin)
        tensors[name] = torch.from_numpy(values.reshape(info['shape']).copy())
    return tensors


def freeze_layers(model):
    """Freezes the layers FROZEN names, as NetCanvas does: no gradients, and BatchNorm on its running statistics."""
    for name in FROZEN:
        layer = getattr(model, name)
        layer.requires_grad_(False)
        for module in layer.modules():
            module.frozen = True
    return model


def build_model():
    """A fresh ${className} with PyTorch's default initialization (its FROZEN layers frozen)."""
    return freeze_layers(${className}())


def load_model(path=None):
    """The ${className} with the exported weights (default: weights.safetensors beside this file), in eval mode, its FROZEN layers frozen."""
    model = build_model()
    model.load_state_dict(read_safetensors(path or WEIGHTS_FILE), strict=True)
    return model.eval()
`;
  return { className, source, state };
}

function pyList(items: readonly string[], quote = true): string {
  return `[${items.map((s) => (quote ? `'${s}'` : s)).join(', ')}]`;
}
