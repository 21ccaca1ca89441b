import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import './blocks.css';

export interface BlockData extends Record<string, unknown> {
  name: string;
  repeat: number;
  width: number;
  height: number;
}

export type BlockFlowNode = Node<BlockData, 'block'>;

/**
 * An expanded block: a frame behind its layers with the block's name, and how many copies of
 * it the network holds. It follows its layers; it is not dragged or selected itself.
 */
function BlockFrameView({ id, data }: NodeProps<BlockFlowNode>) {
  return (
    <div className="block-frame" data-testid={`frame-${id.slice('block:'.length)}`} style={{ width: data.width, height: data.height }}>
      <div className="block-frame-title">
        <span className="block-frame-name">{data.name}</span>
        {data.repeat > 1 && <span className="block-frame-repeat">×{data.repeat}</span>}
      </div>
    </div>
  );
}

export const BlockFrame = memo(BlockFrameView);
