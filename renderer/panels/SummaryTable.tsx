import { Dialog } from './Dialog';
import { openDialog } from '../stores/uiStore';
import { formatShape } from '../../shared/graph/types';
import { useGraphStore } from '../stores/graphStore';
import { useInference } from '../stores/inference';

const count = (n: number) => n.toLocaleString('en-US');

/** The model as Keras's `model.summary()` prints it: layer, output shape, parameters, inputs. */
export function SummaryDialog({ onClose }: { onClose(): void }) {
  const inference = useInference();
  const nodes = useGraphStore((s) => s.graph.nodes);
  const label = (id: string) => nodes.find((n) => n.id === id)?.name ?? id;
  return (
    <Dialog title="Model summary" onClose={onClose}>
        <table className="summary-table" data-testid="summary-table">
          <thead>
            <tr>
              <th>Layer (type)</th>
              <th>Output shape</th>
              <th className="num">Param #</th>
              <th>Connected to</th>
            </tr>
          </thead>
          <tbody>
            {inference.order.map((id) => {
              const node = nodes.find((n) => n.id === id);
              const info = inference.nodes[id]!;
              const shapes = info.outputShapes ?? [];
              return (
                <tr key={id} className={inference.diagnostics.some((d) => d.nodeId === id) ? 'has-error' : undefined}>
                  <td>
                    {label(id)} <span className="muted">({node?.type})</span>
                  </td>
                  <td className="mono">{shapes.length ? shapes.map(formatShape).join(', ') : '—'}</td>
                  <td className="num mono">{count(info.trainableParams + info.nonTrainableParams)}</td>
                  <td className="muted">{(inference.portsOf[id] ?? []).map((p) => (p.output ? `${label(p.node)}[${p.output}]` : label(p.node))).join(', ')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <dl className="summary-totals">
          <dt>Total params</dt>
          <dd>{count(inference.totalParams)}</dd>
          <dt>Trainable params</dt>
          <dd>{count(inference.trainableParams)}</dd>
          <dt>Non-trainable params</dt>
          <dd>{count(inference.nonTrainableParams)}</dd>
        </dl>
    </Dialog>
  );
}

export function SummaryButton() {
  return <button onClick={() => openDialog('summary')}>Summary table</button>;
}
