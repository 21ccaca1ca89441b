/**
 * Every user action, registered once: its id, label, shortcuts, where its keys act and which
 * menu holds it. The toolbar, context menus, keyboard, command palette and the desktop
 * menus are all views of this list; the renderer supplies what each command does and when
 * it is enabled, keyed by these ids.
 */
import type { Shortcut } from './shortcuts.js';

export const MENUS = ['file', 'edit', 'view', 'train', 'help'] as const;
export type Menu = (typeof MENUS)[number];
export const MENU_LABELS: Record<Menu, string> = { file: 'File', edit: 'Edit', view: 'View', train: 'Train', help: 'Help' };

/**
 * Where a command's keys act. `canvas`: with the canvas focused (or nothing else), so arrows
 * and Delete still edit text in fields. `app`: anywhere but while typing in a text field.
 * `always`: in text fields too (Save, the command palette).
 */
export type KeyScope = 'canvas' | 'app' | 'always';

/** The right-click menus a command appears in. */
export type ContextMenu = 'layer' | 'connection' | 'canvas';

export interface CommandSpec {
  id: string;
  label: string;
  /** One sentence for the command palette and tooltips. */
  help?: string;
  menu?: Menu;
  /** Commands of one menu are shown in groups, separated by a line. */
  group?: number;
  shortcuts?: readonly Shortcut[];
  scope?: KeyScope;
  contexts?: readonly ContextMenu[];
  /** Left out of the command palette (its own command, say). */
  hidden?: boolean;
}

export const COMMANDS = [
  // File
  { id: 'file.new', label: 'New project', menu: 'file', group: 0, shortcuts: ['Mod+Alt+N'], scope: 'always', help: 'Start an empty canvas.' },
  { id: 'file.open', label: 'Open project…', menu: 'file', group: 0, shortcuts: ['Mod+O'], scope: 'always', help: 'Open a saved project, or a recent one.' },
  { id: 'file.template', label: 'Load a template…', menu: 'file', group: 0, help: 'Start from a ready network: MLP, CNN, LSTM, Transformer, GAN…' },
  { id: 'file.gallery', label: 'New from the gallery…', menu: 'file', group: 0, help: 'The start screen: every ready network with a picture of it, the recent projects, or an empty canvas.' },
  { id: 'file.save', label: 'Save', menu: 'file', group: 1, shortcuts: ['Mod+S'], scope: 'always', help: 'Write the project to its file.' },
  { id: 'file.save-as', label: 'Save as…', menu: 'file', group: 1, shortcuts: ['Mod+Shift+S'], scope: 'always', help: 'Write the project to a new file.' },
  { id: 'file.rename', label: 'Rename project…', menu: 'file', group: 1, help: 'Change the project’s name.' },
  { id: 'file.upload', label: 'Upload a file…', menu: 'file', group: 2, help: 'Open a project, Keras or TensorFlow.js JSON file from anywhere on this computer.' },
  { id: 'file.download', label: 'Download project file', menu: 'file', group: 2, help: 'Save a copy of the project through the browser’s downloads.' },
  { id: 'file.export-keras', label: 'Export Keras JSON', menu: 'file', group: 3, help: 'The network as Keras model.to_json() output.' },
  { id: 'file.export-tfjs', label: 'Export TensorFlow.js model.json', menu: 'file', group: 3, help: 'The network as a TensorFlow.js layers model.' },
  // Edit
  { id: 'edit.undo', label: 'Undo', menu: 'edit', group: 0, shortcuts: ['Mod+Z'], scope: 'app', help: 'Take back the last change to the network.' },
  { id: 'edit.redo', label: 'Redo', menu: 'edit', group: 0, shortcuts: ['Mod+Shift+Z', 'Mod+Y'], scope: 'app', help: 'Make the change you took back again.' },
  { id: 'edit.cut', label: 'Cut', menu: 'edit', group: 1, shortcuts: ['Mod+X'], scope: 'canvas', contexts: ['layer'] },
  { id: 'edit.copy', label: 'Copy', menu: 'edit', group: 1, shortcuts: ['Mod+C'], scope: 'canvas', contexts: ['layer'] },
  { id: 'edit.paste', label: 'Paste', menu: 'edit', group: 1, shortcuts: ['Mod+V'], scope: 'canvas', contexts: ['canvas', 'layer'] },
  { id: 'edit.duplicate', label: 'Duplicate', menu: 'edit', group: 1, shortcuts: ['Mod+D'], scope: 'canvas', contexts: ['layer'], help: 'Copy the selected layers, with the connections between them, beside them.' },
  { id: 'edit.delete', label: 'Delete', menu: 'edit', group: 1, shortcuts: ['Delete', 'Backspace'], scope: 'canvas', contexts: ['layer', 'connection'], help: 'Remove the selected layers and connections.' },
  { id: 'edit.select-all', label: 'Select all layers', menu: 'edit', group: 1, shortcuts: ['Mod+A'], scope: 'canvas', contexts: ['canvas'] },
  { id: 'edit.add-layer', label: 'Add a layer…', menu: 'edit', group: 2, shortcuts: ['Shift+A'], scope: 'canvas', contexts: ['layer', 'canvas'], help: 'Pick a layer by name; it goes after the selected one, connected to it.' },
  { id: 'edit.settings', label: 'Edit the layer’s settings', menu: 'edit', group: 2, shortcuts: ['Enter'], scope: 'canvas', contexts: ['layer'], help: 'Move to the selected layer’s settings; Escape comes back to the canvas.' },
  { id: 'edit.rename-layer', label: 'Rename the layer', menu: 'edit', group: 2, shortcuts: ['F2'], scope: 'canvas', contexts: ['layer'] },
  { id: 'edit.connect', label: 'Connect to…', menu: 'edit', group: 2, shortcuts: ['Shift+C'], scope: 'canvas', contexts: ['layer'], help: 'Connect the selected layer’s output to another layer.' },
  { id: 'edit.disconnect', label: 'Disconnect…', menu: 'edit', group: 2, shortcuts: ['Shift+D'], scope: 'canvas', contexts: ['layer'], help: 'Remove one of the selected layer’s connections.' },
  { id: 'edit.layout', label: 'Arrange the network', menu: 'edit', group: 3, shortcuts: ['Mod+Shift+L'], scope: 'app', contexts: ['canvas'], help: 'Lay the layers out left to right along the data flow, with room for every shape label.' },
  { id: 'edit.group', label: 'Group into a block', menu: 'edit', group: 3, shortcuts: ['Mod+G'], scope: 'canvas', contexts: ['layer'], help: 'Put the selected layers in a named block, which can repeat as copies in sequence.' },
  { id: 'edit.collapse', label: 'Collapse or expand the block', menu: 'edit', group: 3, scope: 'canvas', contexts: ['layer'], help: 'Draw the block around the selected layers as one node, or open it back into its layers; the network is arranged around it.' },
  { id: 'edit.ungroup', label: 'Ungroup the block', menu: 'edit', group: 3, shortcuts: ['Mod+Shift+G'], scope: 'canvas', contexts: ['layer'], help: 'Take apart the block around the selected layers; the layers stay.' },
  { id: 'edit.select-next', label: 'Select the next layer', menu: 'edit', group: 4, shortcuts: ['ArrowRight'], scope: 'canvas', help: 'Follow the data to the layer the selected one feeds.' },
  { id: 'edit.select-previous', label: 'Select the previous layer', menu: 'edit', group: 4, shortcuts: ['ArrowLeft'], scope: 'canvas', help: 'Go back to the layer that feeds the selected one.' },
  { id: 'edit.select-up', label: 'Select the layer above', menu: 'edit', group: 4, shortcuts: ['ArrowUp'], scope: 'canvas' },
  { id: 'edit.select-down', label: 'Select the layer below', menu: 'edit', group: 4, shortcuts: ['ArrowDown'], scope: 'canvas' },
  { id: 'edit.select-none', label: 'Select nothing', menu: 'edit', group: 4, shortcuts: ['Escape'], scope: 'canvas' },
  // View
  { id: 'view.commands', label: 'Command palette…', menu: 'view', group: 0, shortcuts: ['Mod+K', 'Mod+Shift+P'], scope: 'always', hidden: true, help: 'Find any command or layer by typing part of its name.' },
  { id: 'view.fit', label: 'Fit the network in view', menu: 'view', group: 1, shortcuts: ['Shift+1'], scope: 'canvas', contexts: ['canvas'] },
  { id: 'view.zoom-in', label: 'Zoom in', menu: 'view', group: 1, shortcuts: ['Mod+='], scope: 'canvas' },
  { id: 'view.zoom-out', label: 'Zoom out', menu: 'view', group: 1, shortcuts: ['Mod+-'], scope: 'canvas' },
  { id: 'view.toggle-layers', label: 'Show or hide the layers panel', menu: 'view', group: 2, shortcuts: ['Mod+B'], scope: 'app' },
  { id: 'view.toggle-inspector', label: 'Show or hide the inspector', menu: 'view', group: 2, shortcuts: ['Mod+Alt+B'], scope: 'app' },
  { id: 'view.toggle-training', label: 'Show or hide the training panel', menu: 'view', group: 2, shortcuts: ['Mod+J'], scope: 'app' },
  { id: 'view.summary', label: 'Summary table', menu: 'view', group: 3, help: 'The whole model as Keras’s model.summary() lists it.' },
  { id: 'view.data', label: 'Look at the data', menu: 'view', group: 3, help: 'The Data tab: examples, class balance, split and problems.' },
  { id: 'view.presentation', label: 'Presentation mode', menu: 'view', group: 4, shortcuts: ['F5'], scope: 'always', help: 'High-contrast colours, larger text and the canvas with its training only, for a projector; the same again or Escape leaves it.' },
  { id: 'view.theme', label: 'Theme…', menu: 'view', group: 4, help: 'Light or dark colours, or as the system prefers.' },
  // Train
  { id: 'train.start', label: 'Train', menu: 'train', group: 0, shortcuts: ['Mod+Enter'], scope: 'always', help: 'Train the network on its dataset with the run settings.' },
  { id: 'train.pause', label: 'Pause', menu: 'train', group: 0, help: 'Hold the run after its current batch.' },
  { id: 'train.resume', label: 'Resume', menu: 'train', group: 0 },
  { id: 'train.stop', label: 'Stop', menu: 'train', group: 0, shortcuts: ['Mod+.'], scope: 'always', help: 'End the run after its current batch; its weights are kept.' },
  { id: 'train.continue', label: 'Continue the run', menu: 'train', group: 1, help: 'Train the run shown for more epochs from its last checkpoint.' },
  { id: 'train.samples', label: 'New samples', menu: 'train', group: 1, help: 'Ask the run for fresh GAN images, text or reconstructions now.' },
  { id: 'train.export', label: 'Export the run…', menu: 'train', group: 2, help: 'The run shown, with its trained weights, for TensorFlow.js, PyTorch, ONNX or Keras.' },
  // Help
  { id: 'help.shortcuts', label: 'Keyboard shortcuts', menu: 'help', group: 0, shortcuts: ['?'], scope: 'canvas' },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof COMMANDS)[number]['id'];

const byId = new Map<string, CommandSpec>(COMMANDS.map((c) => [c.id, c]));

export function getCommand(id: CommandId): CommandSpec {
  return byId.get(id)!;
}

export function isCommandId(id: unknown): id is CommandId {
  return typeof id === 'string' && byId.has(id);
}
