import { useState, type DragEvent } from 'react';
import { LAYER_SPECS } from '../../shared/layers/registry';
import { addBlockHere, addLayerHere } from '../commands/layerActions';
import { forgetBlock, useMyBlocksStore } from '../stores/myBlocksStore';

export const LAYER_DRAG_TYPE = 'application/x-netcanvas-layer';

const CATEGORIES = [...new Set(LAYER_SPECS.map((s) => s.category))];

/** Every registered layer, grouped; drag one onto the canvas, or click to add it after the selected layer. */
export function Palette() {
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const matches = (spec: (typeof LAYER_SPECS)[number]) =>
    needle === '' || spec.type.toLowerCase().includes(needle) || spec.kerasClass.toLowerCase().includes(needle) || spec.summary.toLowerCase().includes(needle);

  const saved = useMyBlocksStore((s) => s.blocks);
  const myBlocks = saved.filter((b) => needle === '' || b.name.toLowerCase().includes(needle));
  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(LAYER_DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <div className="palette-body">
      <h2>Layers</h2>
      <input className="palette-search" type="search" placeholder="Search layers" aria-label="Search layers" value={query} onChange={(e) => setQuery(e.target.value)} />
      {myBlocks.length > 0 && (
        <details open data-testid="my-blocks">
          <summary>My blocks</summary>
          {myBlocks.map((block) => (
            <div key={block.id} className="my-block">
              <button className="palette-item" data-testid={`my-block-${block.name}`} onClick={() => addBlockHere(block.clip)} title={`Add the block "${block.name}" to the canvas`}>
                <span className="palette-name">{block.name}</span>
                <span className="palette-summary">
                  Block of {block.layers} {block.layers === 1 ? 'layer' : 'layers'}
                </span>
              </button>
              <button className="my-block-forget" aria-label={`Remove ${block.name} from My blocks`} title="Remove from My blocks" onClick={() => forgetBlock(block.id)}>
                ×
              </button>
            </div>
          ))}
        </details>
      )}
      {CATEGORIES.map((category) => {
        const specs = LAYER_SPECS.filter((s) => s.category === category && matches(s));
        if (specs.length === 0) return null;
        return (
          <details key={category} open>
            <summary>{category}</summary>
            {specs.map((spec) => (
              <button
                key={spec.type}
                className="palette-item"
                draggable
                data-testid={`palette-${spec.type}`}
                onDragStart={(e) => onDragStart(e, spec.type)}
                onClick={() => addLayerHere(spec.type)}
                title={spec.summary}
              >
                <span className="palette-name">{spec.type}</span>
                <span className="palette-summary">{spec.summary}</span>
              </button>
            ))}
          </details>
        );
      })}
    </div>
  );
}
