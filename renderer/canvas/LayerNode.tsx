import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatShape, isLayerRef, type ParamValue, type Params } from '../../shared/graph/types';
import { getLayerSpec, withDefaults } from '../../shared/layers/registry';
import type { LayerSpec } from '../../shared/layers/types';
import type { LayerFlowNode } from './flow';
import { useGan } from '../stores/gan';
import { applyFix } from '../stores/graphStore';
import { useInference } from '../stores/inference';

const ROLE_BADGES = { generator: { letter: 'G', title: 'Generator: makes images from noise' }, discriminator: { letter: 'D', title: 'Discriminator: tells real images from made ones' } };

function valueText(value: ParamValue): string {
  if (Array.isArray(value)) return value.join('×');
  if (isLayerRef(value)) return value.type;
  return value === null ? 'auto' : String(value);
}

/** The key settings of a layer in a few characters, e.g. "128 · relu": the first few main ones that are set. */
function paramsLine(spec: LayerSpec | undefined, params: Params): string {
  if (!spec) return '';
  const full = withDefaults(spec, params);
  return spec.params
    .filter((p) => !p.advanced && p.kind !== 'bool' && !(p.kind === 'float' && full[p.name] === 0))
    .slice(0, 3)
    .map((p) => valueText(full[p.name]!))
    .join(' · ');
}

/** Room a side's handle labels take inside the node (11 px text), so they never run over its text. */
function labelRoom(names: readonly string[] | undefined, labelled: number): number | undefined {
  if (!names || names.length < labelled) return undefined;
  return 18 + Math.ceil(Math.max(...names.map((n) => n.length)) * 6.6);
}

/** Handles spread along an edge of the node, each labelled when there is more than one. */
function handleTop(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

function LayerNodeView({ id, data, selected }: NodeProps<LayerFlowNode>) {
  const inference = useInference();
  const spec = getLayerSpec(data.type);
  const info = inference.nodes[id];
  const problems = inference.diagnostics.filter((d) => d.nodeId === id);
  const params = info ? info.trainableParams + info.nonTrainableParams : 0;
  const slots = spec?.inputs.slots;
  const outputNames = spec?.outputNames?.(withDefaults(spec, data.params)) ?? ['output'];
  const line = paramsLine(spec, data.params);
  const role = useGan()?.roles.get(id);

  return (
    <div
      className={`layer-node${selected ? ' selected' : ''}${problems.length ? ' has-error' : ''}${role ? ` gan-${role}` : ''}${data.frozen ? ' frozen' : ''}`}
      data-testid={`node-${id}`}
      data-frozen={data.frozen ? 'true' : undefined}
      data-gan-role={role}
      title={spec?.summary}
      style={{ paddingLeft: labelRoom(slots, 1), paddingRight: labelRoom(outputNames, 2) }}
    >
      {spec && spec.inputs.max > 0 && !slots && <Handle type="target" position={Position.Left} />}
      {slots?.map((slot, i) => (
        <Handle key={slot} id={slot} type="target" position={Position.Left} style={{ top: handleTop(i, slots.length) }}>
          <span className="handle-label handle-label-in">{slot}</span>
        </Handle>
      ))}
      {/* A band across the top, big enough to read when the canvas is zoomed out to fit a network. */}
      {data.frozen && (
        <div className="frozen-badge" title="Frozen: its weights do not change while the network trains">
          <span className="frozen-icon" aria-hidden="true">
            ❄
          </span>
          Frozen
        </div>
      )}
      <div className="layer-node-title">
        {role && (
          <span className="gan-badge" title={ROLE_BADGES[role].title}>
            {ROLE_BADGES[role].letter}
          </span>
        )}
        <span className="layer-type">{data.type}</span>
        {data.name && <span className="layer-name">{data.name}</span>}
      </div>
      {line && <div className="layer-params">{line}</div>}
      <div className="layer-meta">
        <span className="layer-shape" data-testid="output-shape">{info?.outputShape ? formatShape(info.outputShape) : '—'}</span>
        <span className="layer-count" data-testid="param-count">
          {params.toLocaleString('en-US')} params
        </span>
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
      {outputNames.length <= 1 ? (
        <Handle type="source" position={Position.Right} />
      ) : (
        outputNames.map((name, i) => (
          <Handle key={name} id={String(i)} type="source" position={Position.Right} style={{ top: handleTop(i, outputNames.length) }}>
            <span className="handle-label handle-label-out">{name}</span>
          </Handle>
        ))
      )}
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
