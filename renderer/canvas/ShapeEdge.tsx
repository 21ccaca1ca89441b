import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { carriedShape } from '../../shared/graph/infer';
import { formatShape } from '../../shared/graph/types';
import type { ShapeEdgeData } from './flow';
import { useInference } from '../stores/inference';

/** Room between a layer's output handle and the shape label beside it. */
const LABEL_OFFSET = 8;

/**
 * A connection labelled with the shape of the tensor it carries, batch dimension as "?". The
 * label sits just after the output it leaves, in the gap the layout keeps between ranks, so a
 * long connection's label never lands on a layer it passes.
 */
function ShapeEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, selected, data }: EdgeProps<Edge<ShapeEdgeData>>) {
  const inference = useInference();
  const [path] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const shape = !data || data.labelled === false ? undefined : carriedShape(inference, data.carries.source, data.carries.sourceHandle);
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={selected ? 'selected-edge' : undefined} />
      {shape && (
        <EdgeLabelRenderer>
          <div className="edge-shape nodrag nopan" data-testid={`edge-shape-${id}`} style={{ transform: `translate(0, -50%) translate(${sourceX + LABEL_OFFSET}px, ${sourceY}px)` }}>
            {formatShape(shape)}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
