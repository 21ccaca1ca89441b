import { useMemo } from 'react';
import { runCommand, whyDisabled } from './handlers';
import { addLayerHere, layerLabel } from './layerActions';
import { QuickPick } from './QuickPick';
import { commandShortcut } from './useCommand';
import { selectedNodeId, useGraphStore } from '../stores/graphStore';
import type { PickItem } from '../stores/uiStore';
import { COMMANDS } from '../../shared/commands/registry';
import { LAYER_SPECS } from '../../shared/layers/registry';

/** Every layer type, to add after the selected layer (connected) or in free space. */
function layerItems(): PickItem[] {
  return LAYER_SPECS.map((spec) => ({ id: `layer:${spec.type}`, label: `Add ${spec.type}`, detail: spec.summary, run: () => addLayerHere(spec.type) }));
}

/** Every registered command, greyed with its reason when it cannot run now. */
function commandItems(): PickItem[] {
  return COMMANDS.filter((c) => !('hidden' in c && c.hidden)).map((c) => ({
    id: c.id,
    label: c.label,
    ...('help' in c ? { detail: c.help } : {}),
    hint: commandShortcut(c.id) ?? undefined,
    disabled: whyDisabled(c.id) ?? false,
    run: () => runCommand(c.id),
  }));
}

/** Ctrl/Cmd+K: commands and layer types by fuzzy search; `layersOnly` for "Add a layer…". */
export function CommandPalette({ layersOnly, onClose }: { layersOnly: boolean; onClose(): void }) {
  // Read once when opened: what is enabled does not change while the palette is up.
  const items = useMemo(() => (layersOnly ? layerItems() : [...commandItems(), ...layerItems()]), [layersOnly]);
  const after = useMemo(() => {
    const id = selectedNodeId();
    const node = id ? useGraphStore.getState().graph.nodes.find((n) => n.id === id) : undefined;
    return node ? layerLabel(node) : null;
  }, []);
  const placeholder = layersOnly ? (after ? `Layer to add after ${after}` : 'Layer to add') : 'Type a command or a layer';
  return <QuickPick title={layersOnly ? 'Add a layer' : 'Command palette'} placeholder={placeholder} items={items} empty="No commands." onClose={onClose} />;
}
