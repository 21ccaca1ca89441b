import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, type DragEvent } from 'react';
import { onConnect, onEdgesChange, onNodesChange, useFlowEdges, useFlowNodes } from './flow';
import { edgeTypes, nodeTypes } from './nodeTypes';
import { LAYER_DRAG_TYPE } from '../panels/Palette';
import { addLayer, useGraphStore } from '../stores/graphStore';

const FIT_VIEW = { padding: 0.15, maxZoom: 1.2 };

export function Canvas() {
  const nodes = useFlowNodes();
  const edges = useFlowEdges();
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
    [screenToFlowPosition],
  );

  return (
    // Focusable, so the canvas's keys (arrows, Delete, select all) apply once it is clicked.
    <div className="canvas" data-testid="canvas" tabIndex={0} aria-label="Canvas" onDragOver={onDragOver} onDrop={onDrop}>
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
        // Keys are the command registry's: Delete is one undoable step, arrows move the selection.
        deleteKeyCode={null}
        disableKeyboardA11y
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
