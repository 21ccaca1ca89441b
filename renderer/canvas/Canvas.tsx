import { Background, ControlButton, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useState, type DragEvent, type MouseEvent } from 'react';
import { ContextMenu, type MenuAt } from './ContextMenu';
import { onConnect, onEdgesChange, onNodesChange, useFlowEdges, useFlowNodes } from './flow';
import { edgeTypes, nodeTypes } from './nodeTypes';
import { FIT_VIEW, fitView, focusCanvas, revealNodeSoon, setFlowInstance } from './viewport';
import { LAYER_DRAG_TYPE } from '../panels/Palette';
import { addLayer, select, useGraphStore } from '../stores/graphStore';
import { shownTheme, useThemeStore } from '../stores/themeStore';

/** From how many drawn nodes on the canvas draws only those in view. */
const VISIBLE_ONLY_FROM = 100;

export function Canvas() {
  const nodes = useFlowNodes();
  const edges = useFlowEdges();
  const loadCount = useGraphStore((s) => s.loadCount);
  const colorMode = useThemeStore(shownTheme);
  const { screenToFlowPosition } = useReactFlow();
  const [menu, setMenu] = useState<MenuAt | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);

  // A newly opened network or template is shown whole; nodes are measured after the first paint.
  // Only then: fitting on the first node dropped would zoom it up under the next one's drop point.
  useEffect(() => {
    if (loadCount === 0) return;
    const timer = setTimeout(fitView, 50);
    return () => clearTimeout(timer);
  }, [loadCount]);
  useEffect(() => () => setFlowInstance(null), []);

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
      const id = addLayer(type, screenToFlowPosition({ x: event.clientX - 80, y: event.clientY - 30 }));
      revealNodeSoon(id);
      focusCanvas();
    },
    [screenToFlowPosition],
  );

  const openMenu = (kind: MenuAt['kind']) => (event: MouseEvent, element?: { id: string }) => {
    event.preventDefault();
    const box = event.currentTarget.closest('[data-testid="canvas"]')?.getBoundingClientRect();
    const { selection } = useGraphStore.getState();
    // Right-clicking something not selected makes it the selection, as in any editor.
    if (kind === 'layer' && element && !selection.nodes.includes(element.id)) select([element.id]);
    if (kind === 'connection' && element && !selection.edges.includes(element.id)) select([], [element.id]);
    focusCanvas();
    setMenu({ kind, x: event.clientX - (box?.left ?? 0), y: event.clientY - (box?.top ?? 0) });
  };

  return (
    // Focusable, so the canvas's keys (arrows, Delete, select all, the clipboard) apply once it is clicked.
    <div className="canvas" data-testid="canvas" tabIndex={0} aria-label="Canvas: arrow keys move the selection, Enter edits the layer" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={{ type: 'shape' }}
        onInit={setFlowInstance}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeContextMenu={(e, node) => openMenu('layer')(e, node)}
        onEdgeContextMenu={(e, edge) => openMenu('connection')(e, edge)}
        onPaneContextMenu={(e) => openMenu('canvas')(e as MouseEvent)}
        fitViewOptions={FIT_VIEW}
        minZoom={0.1}
        // A big network draws only what is in view, so a drag or a pan redraws tens of layers, not hundreds.
        onlyRenderVisibleElements={nodes.length > VISIBLE_ONLY_FROM}
        // Keys are the command registry's: Delete is one undoable step, arrows move the selection.
        deleteKeyCode={null}
        disableKeyboardA11y
        proOptions={{ hideAttribution: true }}
        colorMode={colorMode}
      >
        <Background gap={20} />
        {/* Its fit button fits as the Fit command does: never below a readable size. */}
        <Controls showFitView={false}>
          <ControlButton className="react-flow__controls-fitview" onClick={fitView} title="Fit the network in view, at a readable size" aria-label="Fit View">
            <svg viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
              <path d="M1 5V1h4M11 1h4v4M15 11v4h-4M5 15H1v-4" />
            </svg>
          </ControlButton>
        </Controls>
        {/* Worth its corner of the canvas only once a network no longer fits at a readable size. */}
        {nodes.length >= 12 && <MiniMap pannable zoomable />}
      </ReactFlow>
      {menu && <ContextMenu at={menu} onClose={closeMenu} />}
    </div>
  );
}
