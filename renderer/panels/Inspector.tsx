import { ParamField } from './ParamField';
import { BlockSettings } from './BlockSettings';
import { SummaryButton } from './SummaryTable';
import { formatShape } from '../../shared/graph/types';
import { getLayerSpec, withDefaults } from '../../shared/layers/registry';
import { LayerName } from './LayerName';
import { focusCanvas } from '../canvas/viewport';
import { removeElements, selectedNodeId, setFrozen, setParam, useGraphStore } from '../stores/graphStore';
import { useInference } from '../stores/inference';

function ModelTotals() {
  const inference = useInference();
  const graphProblems = inference.diagnostics.filter((d) => !d.nodeId);
  return (
    <section className="totals" data-testid="model-totals">
      <h2>Model</h2>
      <dl>
        <dt>Total params</dt>
        <dd data-testid="total-params">{inference.totalParams.toLocaleString('en-US')}</dd>
        <dt>Trainable</dt>
        <dd data-testid="trainable-params">{inference.trainableParams.toLocaleString('en-US')}</dd>
        <dt>Non-trainable</dt>
        <dd data-testid="non-trainable-params">{inference.nonTrainableParams.toLocaleString('en-US')}</dd>
        <dt>Problems</dt>
        <dd>{inference.diagnostics.length}</dd>
      </dl>
      <SummaryButton />
      {graphProblems.map((d, i) => (
        <p className="field-error" key={i}>
          {d.message}
        </p>
      ))}
    </section>
  );
}

/** The selected layer's settings, drawn from its registry spec; and the model's totals. */
export function Inspector() {
  const node = useGraphStore((s) => {
    const id = selectedNodeId(s);
    return id ? s.graph.nodes.find((n) => n.id === id) : undefined;
  });
  const inference = useInference();
  const spec = node ? getLayerSpec(node.type) : undefined;
  const params = node && spec ? withDefaults(spec, node.params) : {};
  const nodeInfo = node ? inference.nodes[node.id] : undefined;
  const outputShapes = nodeInfo?.outputShapes;

  return (
    <div className="inspector-body">
      {node && spec ? (
        <section data-testid="inspector">
          <h2>
            {spec.type} <small>{node.id}</small>
          </h2>
          <p className="summary-text">{spec.summary}</p>
          <p className="shape-line">
            Output {outputShapes?.length ? outputShapes.map(formatShape).join(', ') : '—'} · {(nodeInfo ? nodeInfo.trainableParams + nodeInfo.nonTrainableParams : 0).toLocaleString('en-US')} params
          </p>
          {/* Edits here are steps of the network's history: Ctrl+Z undoes them, Escape goes back to the canvas. */}
          <div
            className="param-fields"
            data-history="graph"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                focusCanvas();
              }
            }}
          >
            {spec.params
              .filter((p) => !p.advanced)
              .map((p) => (
                <ParamField key={p.name} spec={p} value={params[p.name]} onChange={(v) => setParam(node.id, p.name, v)} />
              ))}
            {spec.params.some((p) => p.advanced) && (
              <details className="advanced">
                <summary>More settings</summary>
                {spec.params
                  .filter((p) => p.advanced)
                  .map((p) => (
                    <ParamField key={p.name} spec={p} value={params[p.name]} onChange={(v) => setParam(node.id, p.name, v)} />
                  ))}
              </details>
            )}
            <LayerName key={node.id} nodeId={node.id} name={node.name ?? ''} />
            {spec.inputs.max > 0 && (
              <label className="freeze-field">
                <input type="checkbox" role="switch" checked={node.frozen ?? false} onChange={(e) => setFrozen([node.id], e.target.checked)} />
                Freeze (don't train)
                <span className="muted small">Its weights stay as they are while the rest of the network trains, e.g. a base model's layers under a new head.</span>
              </label>
            )}
          </div>
          <button className="danger" onClick={() => removeElements([node.id])}>
            Delete layer
          </button>
        </section>
      ) : (
        <section className="inspector-empty">
          <h2>Inspector</h2>
          <p>Select a layer to see and change its settings.</p>
        </section>
      )}
      <BlockSettings />
      <ModelTotals />
    </div>
  );
}
