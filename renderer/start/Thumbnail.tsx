import { useMemo } from 'react';
import { thumbnailOf, type ThumbBox } from './thumbnail';
import type { Graph } from '../../shared/graph/types';

/** The picture's own units; the SVG scales to the card's width with its aspect kept. */
const SIZE = { width: 280, height: 104 };

/** A box's name inside it, when there is room to read it. */
function Label({ box }: { box: ThumbBox }) {
  const size = Math.min(11, box.height * 0.5, (box.width - 4) / (box.label.length * 0.6));
  // A block's name says more than a layer's type, so it may be a little smaller.
  if (size < (box.kind === 'block' ? 6.5 : 8)) return null;
  return (
    <text className="thumb-label" x={box.x + box.width / 2} y={box.y + box.height / 2} fontSize={size} textAnchor="middle" dominantBaseline="central">
      {box.label}
    </text>
  );
}

/** A template's network as a small picture: layers coloured by their palette category, collapsed blocks as one box. */
export function Thumbnail({ graph }: { graph: Graph }) {
  const picture = useMemo(() => thumbnailOf(graph, SIZE), [graph]);
  return (
    <svg className="thumbnail" viewBox={`0 0 ${SIZE.width} ${SIZE.height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true" data-testid="thumbnail">
      {picture.frames.map((f) => (
        <rect key={f.id} className="thumb-frame" x={f.x} y={f.y} width={f.width} height={f.height} rx={Math.min(6, f.height / 4)} />
      ))}
      {picture.lines.map((l) => (
        <line key={l.id} className="thumb-edge" x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} />
      ))}
      {picture.boxes.map((b) => (
        <g key={b.id}>
          <rect
            className={b.kind === 'block' ? 'thumb-block' : `thumb-layer thumb-${(b.category ?? 'other').toLowerCase()}`}
            x={b.x}
            y={b.y}
            width={b.width}
            height={b.height}
            rx={Math.min(5, b.height / 3)}
          >
            <title>{b.label}</title>
          </rect>
          <Label box={b} />
        </g>
      ))}
    </svg>
  );
}
