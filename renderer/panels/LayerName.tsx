import { useEffect, useState } from 'react';
import { renameNode, sealHistory } from '../stores/graphStore';

/** The layer's display name, also its Keras name on export; empty leaves it to the id. */
export function LayerName({ nodeId, name }: { nodeId: string; name: string }) {
  const [text, setText] = useState(name);
  useEffect(() => setText((typed) => (typed.trim() === name ? typed : name)), [name]);
  return (
    <div className="field">
      <label htmlFor="layer-name">Name</label>
      <input
        id="layer-name"
        value={text}
        placeholder={nodeId}
        maxLength={80}
        onChange={(e) => {
          setText(e.target.value);
          renameNode(nodeId, e.target.value);
        }}
        onBlur={sealHistory}
      />
      <div className="field-help">Shown on the canvas and used as the layer’s name in Keras and PyTorch files.</div>
    </div>
  );
}
