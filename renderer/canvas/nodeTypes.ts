import { BlockFrame } from './BlockFrame';
import { CollapsedBlock } from './CollapsedBlock';
import { LayerNode } from './LayerNode';
import { ShapeEdge } from './ShapeEdge';

/** Defined once, outside render, as React Flow asks. */
export const nodeTypes = { layer: LayerNode, block: BlockFrame, collapsed: CollapsedBlock };
export const edgeTypes = { shape: ShapeEdge };
