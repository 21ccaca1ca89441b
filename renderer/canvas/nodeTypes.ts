import { LayerNode } from './LayerNode';

/** Defined once, outside render, as React Flow asks. */
export const nodeTypes = { layer: LayerNode };
