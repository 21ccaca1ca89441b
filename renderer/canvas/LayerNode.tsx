import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatShape } from '../../shared/graph/types';
import { getLayerSpec } from '../../shared/layers/registry';
import type { LayerFlowNode } from '../stores/graphStore';
import { useGraphStore } from '../stores/graphStore';
import { useInference } from '../stores/inference';

/** The key settings of a layer in a few characters, e.g. "128 · relu". */
function paramsLine(params: LayerFlowNode['data']['params']): string {
  return Object.entries(params)
    .filter(([key]) => key !== 'useBias')
    .map(([, value]) => (Array.isArray(value) ? value.join('×') : String(value)))
    .join(' · ');
}

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const inference = useInference();
  const applyFix = useGraphStore((s) => s.applyFix);
  const spec = getLayerSpec(data.type);
  const info = inference.nodes[id];
  const problems = inference.diagnostics.filter((d) => d.nodeId === id);
  const params = info ? info.trainableParams + info.nonTrainableParams : 0;

  return (
    <div className={`layer-node${selected ? ' selected' : ''}${problems.length ? ' has-error' : ''}`} data-testid={`node-${id}`} title={spec?.summary}>
      {spec && spec.inputs.max > 0 && <Handle type="target" position={Position.Left} />}
      <div className="layer-node-title">
        <span className="layer-type">{data.type}</span>
        {data.name && <span className="layer-name">{data.name}</span>}
      </div>
      {Object.keys(data.params).length > 0 && <div className="layer-params">{paramsLine(data.params)}</div>}
      <div className="layer-meta">
        <span className="layer-shape" data-testid="output-shape">{info?.outputShape ? formatShape(info.outputShape) : '—'}</span>
        <span className="layer-count">{params.toLocaleString('en-US')} params</span>
      </div>
      {problems.map((problem, i) => (
        <div className="layer-error" role="alert" key={i}>
          {problem.message}
          {problem.fix && (
            <button className="fix-button nodrag" onClick={() => applyFix(id, problem.fix!)}>
              {problem.fix.label}
            </button>
          )}
        </div>
      ))}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
