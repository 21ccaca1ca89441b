/**
 * What each registered command does and when it can: one entry per id of
 * shared/commands/registry.ts, checked by the type so none is left out.
 */
import { copyCommand, hasLayerSelection, pasteCommand } from './clipboard';
import { addLayerHere, focusSettings, moveSelection, pickConnectionToRemove, pickConnectTarget } from './layerActions';
import { pickTheme } from '../app/theme';
import { fitView, focusCanvas, zoomIn, zoomOut } from '../canvas/viewport';
import { showStartScreen } from '../start/actions';
import { exportModelFile } from '../stores/actions';
import { exportBlocker, openExport } from '../stores/exportActions';
import { downloadProject, newProject, openProject, save, saveAs } from '../stores/fileActions';
import { arrangeGraph, duplicate, groupSelection, redo, selectedBlockId, setCollapsed, ungroup, removeSelection, select, selectAll, selectedNodeId, undo, useGraphStore } from '../stores/graphStore';
import { togglePanel } from '../stores/layoutStore';
import { togglePresentation } from '../stores/themeStore';
import { TRAINING_ELSEWHERE } from '../stores/runs';
import { currentRunForm, currentTrainInputs, trainBlocker } from '../stores/trainBlocker';
import { continueRun, pauseTraining, requestSamples, resumeTraining, startTraining, stopTraining } from '../stores/trainingActions';
import { activeRunKey, currentRunOf, isActive, useTrainingStore } from '../stores/trainingStore';
import { clearError, notifyError, openDialog, useUiStore } from '../stores/uiStore';
import { getCommand, type CommandId } from '../../shared/commands/registry';

export interface Handler {
  run(): void | Promise<unknown>;
  /** Null when the command can run, else why not, in words. */
  disabled?(): string | null;
  /** Its keys act through the browser's own events (copy, cut, paste), not keydown. */
  nativeKeys?: boolean;
}

const NO_LAYER = 'Select a layer first.';
const oneLayer = () => (selectedNodeId() ? null : NO_LAYER);
const someLayers = () => (hasLayerSelection() ? null : NO_LAYER);
const someSelection = () => {
  const { selection } = useGraphStore.getState();
  return selection.nodes.length || selection.edges.length ? null : 'Select layers or connections first.';
};
const hasLayers = () => (useGraphStore.getState().graph.nodes.length ? null : 'The canvas is empty.');
const history = () => useGraphStore.temporal.getState();

function activeRun() {
  const state = useTrainingStore.getState();
  const key = activeRunKey(state);
  return key ? state.runs[key] : undefined;
}

function shownRun() {
  return currentRunOf(useTrainingStore.getState(), useGraphStore.getState().docId);
}

/** Why the run shown cannot be controlled from here, when it trains in another window or NetCanvas. */
function shownElsewhere(): string | null {
  return shownRun()?.status === 'elsewhere' ? TRAINING_ELSEWHERE : null;
}

function trainConfig() {
  const form = currentRunForm();
  return form.built.ok ? form.built.config : null;
}

export const HANDLERS: Record<CommandId, Handler> = {
  'file.new': { run: newProject },
  'file.open': { run: openProject },
  'file.template': { run: () => openDialog('templates') },
  'file.gallery': { run: showStartScreen },
  'file.save': { run: save },
  'file.save-as': { run: saveAs },
  'file.rename': { run: () => openDialog('rename-project') },
  'file.upload': { run: () => document.querySelector<HTMLInputElement>('[data-testid="open-file"]')?.click() },
  'file.download': { run: downloadProject },
  'file.export-keras': { run: () => exportModelFile('keras-json'), disabled: hasLayers },
  'file.export-tfjs': { run: () => exportModelFile('tfjs-json'), disabled: hasLayers },

  'edit.undo': { run: undo, disabled: () => (history().pastStates.length ? null : 'Nothing to undo.') },
  'edit.redo': { run: redo, disabled: () => (history().futureStates.length ? null : 'Nothing to redo.') },
  'edit.cut': { run: () => copyCommand(true), disabled: someLayers, nativeKeys: true },
  'edit.copy': { run: () => copyCommand(false), disabled: someLayers, nativeKeys: true },
  'edit.paste': { run: pasteCommand, nativeKeys: true },
  'edit.duplicate': { run: () => void duplicate(useGraphStore.getState().selection.nodes), disabled: someLayers },
  'edit.delete': { run: removeSelection, disabled: someSelection },
  'edit.select-all': { run: selectAll, disabled: hasLayers },
  'edit.add-layer': { run: () => openDialog('add-layer') },
  'edit.settings': { run: () => focusSettings(), disabled: oneLayer },
  'edit.rename-layer': { run: () => focusSettings('layer-name'), disabled: oneLayer },
  'edit.connect': { run: pickConnectTarget, disabled: oneLayer },
  'edit.disconnect': { run: pickConnectionToRemove, disabled: oneLayer },
  'edit.layout': {
    run: async () => {
      await arrangeGraph('RIGHT');
      requestAnimationFrame(fitView);
    },
    disabled: hasLayers,
  },
  'edit.group': {
    run: () => {
      const problem = groupSelection();
      if (problem) notifyError(problem);
    },
    disabled: someLayers,
  },
  'edit.collapse': {
    run: async () => {
      const { graph } = useGraphStore.getState();
      const block = graph.blocks?.find((b) => b.id === selectedBlockId());
      if (block) await setCollapsed(block.id, !block.collapsed);
    },
    disabled: () => (selectedBlockId() ? null : 'Select a layer in a block first.'),
  },
  'edit.ungroup': {
    run: () => {
      const block = selectedBlockId();
      if (block) ungroup(block);
    },
    disabled: () => (selectedBlockId() ? null : 'Select a layer in a block first.'),
  },
  'edit.select-next': { run: () => moveSelection('next'), disabled: hasLayers },
  'edit.select-previous': { run: () => moveSelection('previous'), disabled: hasLayers },
  'edit.select-up': { run: () => moveSelection('up'), disabled: hasLayers },
  'edit.select-down': { run: () => moveSelection('down'), disabled: hasLayers },
  'edit.select-none': { run: () => select([]) },

  'view.commands': { run: () => openDialog('commands') },
  'view.fit': { run: fitView, disabled: hasLayers },
  'view.zoom-in': { run: zoomIn },
  'view.zoom-out': { run: zoomOut },
  'view.toggle-layers': { run: () => togglePanel('layers') },
  'view.toggle-inspector': { run: () => togglePanel('inspector') },
  'view.toggle-training': { run: () => togglePanel('training') },
  'view.summary': { run: () => openDialog('summary') },
  'view.data': {
    run: () => {
      togglePanel('training', true);
      useUiStore.getState().showView('data');
    },
  },
  'view.presentation': { run: togglePresentation },
  'view.theme': { run: pickTheme },

  'train.start': {
    run: () => {
      const config = trainConfig();
      if (!config) return;
      togglePanel('training', true);
      focusCanvas();
      return startTraining(config);
    },
    disabled: () => (activeRun() ? 'A run is training: stop it first.' : trainBlocker(currentTrainInputs())),
  },
  'train.pause': {
    run: pauseTraining,
    disabled: () => {
      const status = activeRun()?.status;
      return status && status !== 'paused' && status !== 'stopping' ? null : (shownElsewhere() ?? 'No run is training.');
    },
  },
  'train.resume': { run: resumeTraining, disabled: () => (activeRun()?.status === 'paused' ? null : (shownElsewhere() ?? 'No run is paused.')) },
  'train.stop': { run: stopTraining, disabled: () => (activeRun() ? null : (shownElsewhere() ?? 'No run is training.')) },
  'train.continue': {
    run: () => {
      const run = shownRun();
      const config = trainConfig();
      return run && config ? continueRun(run.key, 'last', config) : undefined;
    },
    disabled: () => {
      const run = shownRun();
      if (run?.status === 'elsewhere') return 'This run is still training in another window or another NetCanvas: continue it once it has finished.';
      if (run?.status === 'imported') return 'These are weights opened with a model, not a run to continue: use "Start from these weights" to train from them.';
      if (!run?.runId || isActive(run.status) || (run.status === 'failed' && run.checkpoints.last === null)) return 'Pick a finished run to continue.';
      return activeRun() ? 'A run is training: stop it first.' : trainBlocker(currentTrainInputs());
    },
  },
  'train.samples': {
    run: () => {
      const run = shownRun();
      return run ? requestSamples(run.key) : undefined;
    },
    disabled: () => {
      const run = shownRun();
      return run && isActive(run.status) ? null : (shownElsewhere() ?? 'Samples come from a run that is training.');
    },
  },
  'train.export': {
    run: () => {
      const run = shownRun();
      if (run) openExport(run.key);
    },
    disabled: () => exportBlocker(shownRun()),
  },

  'help.shortcuts': { run: () => openDialog('shortcuts') },
};

/** Why a command cannot run now, in words, or null when it can. */
export function whyDisabled(id: CommandId): string | null {
  return HANDLERS[id].disabled?.() ?? null;
}

/**
 * Runs a command if it can; otherwise says why, except for a key pressed on the canvas with
 * nothing for it to act on. A command that runs takes down an earlier error.
 */
export function runCommand(id: CommandId, from: 'keys' | 'menu' = 'menu'): void {
  const why = whyDisabled(id);
  if (why) {
    if (from === 'menu' || getCommand(id).scope !== 'canvas') useUiStore.getState().notify('info', why);
    return;
  }
  clearError();
  void Promise.resolve(HANDLERS[id].run()).catch(notifyError);
}
