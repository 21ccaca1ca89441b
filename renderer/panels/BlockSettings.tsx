import { useMemo } from 'react';
import { useInference } from '../stores/inference';
import { selectedBlockId, setBlock, setCollapsed, ungroup, useGraphStore } from '../stores/graphStore';
import { layersIn } from '../../shared/graph/blocks';
import { saveBlock } from '../stores/myBlocksStore';
import { useUiStore } from '../stores/uiStore';

/** Most copies a block may repeat as: the project schema's limit. */
const MAX_REPEAT = 64;

/**
 * The block around the selected layers: its name, how many copies of it the network holds
 * (each with its own weights), and what it adds up to. Each change is one step of history.
 */
export function BlockSettings() {
  const block = useGraphStore((s) => {
    const id = selectedBlockId(s);
    return id ? s.graph.blocks?.find((b) => b.id === id) : undefined;
  });
  const graph = useGraphStore((s) => s.graph);
  const layers = useMemo(() => (block ? layersIn(graph, block.id) : []), [graph, block]);
  const inference = useInference();
  if (!block) return null;
  const repeat = block.repeat ?? 1;
  const params = layers.reduce((sum, id) => sum + (inference.nodes[id] ? inference.nodes[id].trainableParams + inference.nodes[id].nonTrainableParams : 0), 0);
  const problem = inference.diagnostics.find((d) => d.code === 'BLOCK_REPEAT' && d.nodeId !== undefined && layers.includes(d.nodeId));
  return (
    <section className="block-settings" data-testid="block-settings" data-history="graph">
      <h2>Block</h2>
      <label className="field">
        <span>Name</span>
        <input aria-label="Block name" defaultValue={block.name} key={`${block.id}-${block.name}`} onBlur={(e) => e.target.value.trim() && e.target.value.trim() !== block.name && setBlock(block.id, { name: e.target.value.trim() })} />
      </label>
      <label className="field">
        <span>Repeat ×</span>
        <input
          aria-label="Repeat the block"
          type="number"
          min={1}
          max={MAX_REPEAT}
          value={repeat}
          onChange={(e) => {
            const n = Math.round(Number(e.target.value));
            if (Number.isFinite(n) && n >= 1 && n <= MAX_REPEAT && n !== repeat) setBlock(block.id, { repeat: n });
          }}
        />
      </label>
      <p className="muted small">
        {layers.length} {layers.length === 1 ? 'layer' : 'layers'}, {params.toLocaleString('en-US')} params in the first copy
        {repeat > 1 ? `; ${repeat} copies in sequence, each with its own weights` : ''}.
      </p>
      {problem && (
        <p className="layer-error" role="alert">
          {problem.message}
        </p>
      )}
      <div className="block-actions">
        <button onClick={() => void setCollapsed(block.id, !block.collapsed)}>{block.collapsed ? 'Expand' : 'Collapse'}</button>
        <button onClick={() => ungroup(block.id)}>Ungroup</button>
        <button
          onClick={() => {
            const problem = saveBlock(graph, block.id);
            useUiStore.getState().notify(problem ? 'error' : 'info', problem ?? `Saved "${block.name}" to My blocks, at the top of the layers panel, for this and other projects.`);
          }}
        >
          Save to My blocks
        </button>
      </div>
    </section>
  );
}
