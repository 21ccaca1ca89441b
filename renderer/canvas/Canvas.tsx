import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { useCallback, type DragEvent } from 'react';
import { edgeTypes, nodeTypes } from './nodeTypes';
import { LAYER_DRAG_TYPE } from '../panels/Palette';
import { useGraphStore } from '../stores/graphStore';

export function Canvas() {
  const nodes = useGraphStore((s) => s.nodes);
  const edges = useGraphStore((s) => s.edges);
  const onNodesChange = useGraphStore((s) => s.onNodesChange);
  const onEdgesChange = useGraphStore((s) => s.onEdgesChange);
  const onConnect = useGraphStore((s) => s.onConnect);
  const addLayer = useGraphStore((s) => s.addLayer);
  const { screenToFlowPosition } = useReactFlow();

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
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.2 }}
        deleteKeyCode={['Backspace', 'Delete']}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}
