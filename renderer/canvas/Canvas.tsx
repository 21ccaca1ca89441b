import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, type DragEvent } from 'react';
import { edgeTypes, nodeTypes } from './nodeTypes';
import { LAYER_DRAG_TYPE } from '../panels/Palette';
import { useGraphStore } from '../stores/graphStore';

const FIT_VIEW = { padding: 0.15, maxZoom: 1.2 };

export function Canvas() {
  const nodes = useGraphStore((s) => s.nodes);
  const edges = useGraphStore((s) => s.edges);
  const onNodesChange = useGraphStore((s) => s.onNodesChange);
  const onEdgesChange = useGraphStore((s) => s.onEdgesChange);
  const onConnect = useGraphStore((s) => s.onConnect);
  const addLayer = useGraphStore((s) => s.addLayer);
  const loadCount = useGraphStore((s) => s.loadCount);
  const { screenToFlowPosition, fitView } = useReactFlow();

  // A newly opened network or template is shown whole; nodes are measured after the first paint.
  // Only then: fitting on the first node dropped would zoom it up under the next one's drop point.
  useEffect(() => {
    if (loadCount === 0) return;
    const timer = setTimeout(() => void fitView(FIT_VIEW), 50);
    return () => clearTimeout(timer);
  }, [loadCount, fitView]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (event.dataTransfer.types.includes(LAYER_DRAG_TYPE)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(LAYER_DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      addLayer(type, screenToFlowPosition({ x: event.clientX - 80, y: event.clientY - 30 }));
    },
    [addLayer, screenToFlowPosition],
  );

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={{ type: 'shape' }}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        minZoom={0.1}
        deleteKeyCode={['Backspace', 'Delete']}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls />
        {/* Worth its corner of the canvas only once a network no longer fits at a readable size. */}
        {nodes.length >= 12 && <MiniMap pannable zoomable />}
      </ReactFlow>
    </div>
  );
}
