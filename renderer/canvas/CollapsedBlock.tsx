import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, useMemo } from 'react';
import { isCopyOf, type OutputRef } from '../../shared/graph/blocks';
import { carriedShape, type Inference } from '../../shared/graph/infer';
import { formatShape } from '../../shared/graph/types';
import { useGan } from '../stores/gan';
import { setCollapsed } from '../stores/graphStore';
import { useInference } from '../stores/inference';
import './blocks.css';

export interface CollapsedData extends Record<string, unknown> {
  blockId: string;
  name: string;
  repeat: number;
  /** Its layers, inner blocks' included. */
  layers: readonly string[];
  /** The outputs from outside that feed it, and its layers' outputs that leave it: its handles `in:<i>`, `out:<i>`. */
  inputs: readonly OutputRef[];
  outputs: readonly OutputRef[];
  /** Outputs of its layers that feed nothing: the network's own outputs. */
  ends: readonly OutputRef[];
}

export type CollapsedFlowNode = Node<CollapsedData, 'collapsed'>;

function handleTop(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

/** What a collapsed block adds up to in the network: every copy's layers, parameters and problems. */
function totals(inference: Inference, layers: readonly string[]): { params: number; problems: number; count: number } {
  const inside = new Set(layers);
  let params = 0;
  let count = 0;
  const copies = new Set<string>();
  for (const [id, info] of Object.entries(inference.nodes)) {
    if (!isCopyOf(id, inside)) continue;
    copies.add(id);
    count++;
    params += info.trainableParams + info.nonTrainableParams;
  }
  const problems = inference.diagnostics.filter((d) => d.nodeId !== undefined && copies.has(d.nodeId)).length;
  return { params, problems, count };
}

/** The shape leaving a block at one of its outputs: its last copy's, where the block repeats. */
function leavingShape(inference: Inference, output: OutputRef): string {
  const ids = Object.keys(inference.nodes).filter((id) => isCopyOf(id, new Set([output.source])));
  const shape = carriedShape(inference, ids.at(-1) ?? output.source, output.sourceHandle);
  return shape ? formatShape(shape) : '—';
}

/**
 * A collapsed block: one node for its layers, with the shapes going in and out, how many
 * layers and parameters it holds (every copy counted), and a button to open it up again.
 * Selecting, dragging or deleting it does so to all its layers.
 */
function CollapsedBlockView({ data, selected }: NodeProps<CollapsedFlowNode>) {
  const inference = useInference();
  const sum = useMemo(() => totals(inference, data.layers), [inference, data.layers]);
  const entering = data.inputs.map((input) => {
    const shape = carriedShape(inference, input.source, input.sourceHandle);
    return shape ? formatShape(shape) : '—';
  });
  const leaving = [...data.outputs, ...data.ends].map((output) => leavingShape(inference, output));
  const expand = () => void setCollapsed(data.blockId, false);
  // A GAN's generator or discriminator drawn as one block wears its part's badge.
  const roles = useGan()?.roles;
  const role = roles && data.layers.length > 0 && data.layers.every((l) => roles.get(l) === roles.get(data.layers[0]!)) ? roles.get(data.layers[0]!) : undefined;
  return (
    <div
      className={`collapsed-block${selected ? ' selected' : ''}${sum.problems ? ' has-error' : ''}${role ? ` gan-${role}` : ''}`}
      data-testid={`collapsed-${data.blockId}`}
      data-gan-block-role={role}
      onDoubleClick={expand}
      title="Double-click to open the block"
    >
      {data.inputs.map((_, i) => (
        <Handle key={`in:${i}`} id={`in:${i}`} type="target" position={Position.Left} isConnectable={false} style={{ top: handleTop(i, data.inputs.length) }} />
      ))}
      <div className="collapsed-block-title">
        {role && <span className="gan-badge">{role === 'generator' ? 'G' : 'D'}</span>}
        <span className="collapsed-block-name layer-type">{data.name}</span>
        {data.repeat > 1 && <span className="block-frame-repeat">×{data.repeat}</span>}
        <button className="block-toggle nodrag" aria-label={`Expand block ${data.name}`} title="Expand the block" onClick={expand}>
          ▸
        </button>
      </div>
      <div className="layer-params">
        {sum.count} {sum.count === 1 ? 'layer' : 'layers'}
        {data.repeat > 1 ? ` in ${data.repeat} copies` : ''}
      </div>
      <div className="layer-meta">
        <span className="layer-shape" data-testid="block-shapes">
          {entering.join(' ') || '—'} → {leaving.join(' ') || '—'}
        </span>
      </div>
      <div className="layer-meta">
        <span className="layer-count" data-testid="param-count">
          {sum.params.toLocaleString('en-US')} params
        </span>
      </div>
      {sum.problems > 0 && (
        <div className="layer-error" role="alert">
          {sum.problems === 1 ? 'A layer inside has a problem' : `${sum.problems} problems inside`}: expand the block to see {sum.problems === 1 ? 'it' : 'them'}.
        </div>
      )}
      {data.outputs.map((_, i) => (
        <Handle key={`out:${i}`} id={`out:${i}`} type="source" position={Position.Right} isConnectable={false} style={{ top: handleTop(i, data.outputs.length) }} />
      ))}
    </div>
  );
}

export const CollapsedBlock = memo(CollapsedBlockView);
