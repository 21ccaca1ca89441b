import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatShape } from '../../shared/graph/types';
import { useInference } from '../stores/inference';

/** A connection labelled with the shape of the tensor it carries, batch dimension as "?". */
function ShapeEdgeView({ id, source, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, selected }: EdgeProps) {
  const inference = useInference();
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const shape = inference.nodes[source]?.outputShapes?.[Number(sourceHandleId ?? 0) || 0];
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={selected ? 'selected-edge' : undefined} />
      {shape && (
        <EdgeLabelRenderer>
          <div className="edge-shape nodrag nopan" data-testid={`edge-shape-${id}`} style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {formatShape(shape)}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
