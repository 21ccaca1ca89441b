import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { setCollapsed } from '../stores/graphStore';
import './blocks.css';

export interface BlockData extends Record<string, unknown> {
  blockId: string;
  name: string;
  repeat: number;
  width: number;
  height: number;
}

export type BlockFlowNode = Node<BlockData, 'block'>;

/**
 * An expanded block: a frame behind its layers with the block's name, and how many copies of
 * it the network holds, and a button that collapses it into one node. It follows its layers;
 * it is not dragged or selected itself.
 */
function BlockFrameView({ data }: NodeProps<BlockFlowNode>) {
  return (
    <div className="block-frame" data-testid={`frame-${data.blockId}`} style={{ width: data.width, height: data.height }}>
      <div className="block-frame-title">
        <button className="block-toggle nodrag" aria-label={`Collapse block ${data.name}`} title="Collapse the block into one node" onClick={() => void setCollapsed(data.blockId, true)}>
          ▾
        </button>
        <span className="block-frame-name">{data.name}</span>
        {data.repeat > 1 && <span className="block-frame-repeat">×{data.repeat}</span>}
      </div>
    </div>
  );
}

export const BlockFrame = memo(BlockFrameView);
