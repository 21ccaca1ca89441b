import { useSyncExternalStore } from 'react';
import { whyDisabled } from './handlers';
import { platform } from './keyboard';
import { useGraphStore } from '../stores/graphStore';
import { useProjectStore } from '../stores/projectStore';
import { useTrainingStore } from '../stores/trainingStore';
import { getCommand, type CommandId } from '../../shared/commands/registry';
import { shortcutLabel } from '../../shared/commands/shortcuts';

/** Changes that can enable or disable a command: the document, its history, files, runs. */
function subscribe(onChange: () => void): () => void {
  const stops = [useGraphStore.subscribe(onChange), useGraphStore.temporal.subscribe(onChange), useProjectStore.subscribe(onChange), useTrainingStore.subscribe(onChange)];
  return () => stops.forEach((stop) => stop());
}

/** Why a command cannot run now, or null; re-read whenever the stores change. */
export function useCommandDisabled(id: CommandId): string | null {
  return useSyncExternalStore(subscribe, () => whyDisabled(id));
}

/** The first shortcut of a command as this platform writes it, e.g. "Ctrl+Z". */
export function commandShortcut(id: CommandId): string | null {
  const first = getCommand(id).shortcuts?.[0];
  return first ? shortcutLabel(first, platform()) : null;
}

/** "Undo (Ctrl+Z)": the tooltip of a command's button. */
export function commandTitle(id: CommandId): string {
  const spec = getCommand(id);
  const keys = commandShortcut(id);
  return `${spec.help ?? spec.label}${keys ? ` (${keys})` : ''}`;
}
