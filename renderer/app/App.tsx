import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, type CSSProperties } from 'react';
import { PanelFrame } from './PanelFrame';
import { Canvas } from '../canvas/Canvas';
import { installKeyboard } from '../commands/keyboard';
import { installMenuCommands } from '../commands/menuCommands';
import { DialogHost } from '../dialogs/DialogHost';
import { Inspector } from '../panels/Inspector';
import { NoticeBar } from '../panels/NoticeBar';
import { Palette } from '../panels/Palette';
import { Toolbar } from '../panels/Toolbar';
import { TrainingPanel } from '../panels/TrainingPanel';
import { installErrorClearing } from '../stores/actions';
import { installAutosave, offerRecoveries } from '../stores/autosave';
import { useDatasetSync } from '../stores/dataStore';
import { startFirstDocument } from '../stores/fileActions';
import { GanContext, useComputedGan } from '../stores/gan';
import { InferenceContext, useComputedInference } from '../stores/inference';
import { useLayoutStore } from '../stores/layoutStore';
import { useUiStore, type TrainingView } from '../stores/uiStore';

/** Strips the folded panels leave, and the training panel's height until it is resized. */
const STRIP = 30;
// The data, and a trained model's answers and pictures, need room to be read from the back of a
// room: the canvas gives some up while they show.
const INSIGHT_HEIGHT = 'clamp(420px, 62vh, 700px)';
const AUTO_TRAINING_HEIGHT: Record<TrainingView, string> = {
  training: 'clamp(200px, 34vh, 360px)',
  data: 'clamp(320px, 55vh, 640px)',
  try: INSIGHT_HEIGHT,
  evaluate: INSIGHT_HEIGHT,
  explain: INSIGHT_HEIGHT,
};

function useLayoutVariables(): CSSProperties {
  const { sizes, open, resized } = useLayoutStore();
  const view = useUiStore((s) => s.trainingView);
  return {
    '--layers-w': `${open.layers ? sizes.layers : STRIP}px`,
    '--inspector-w': `${open.inspector ? sizes.inspector : STRIP}px`,
    '--training-h': open.training ? (resized.training ? `${sizes.training}px` : AUTO_TRAINING_HEIGHT[view]) : `${STRIP + 4}px`,
  } as CSSProperties;
}

export function App() {
  useDatasetSync();
  const inference = useComputedInference();
  const gan = useComputedGan(inference);
  const layout = useLayoutVariables();

  useEffect(() => {
    startFirstDocument();
    const stops = [installKeyboard(), installAutosave(), installMenuCommands(), installErrorClearing()];
    void offerRecoveries();
    return () => stops.forEach((stop) => stop());
  }, []);

  return (
    <ReactFlowProvider>
      <InferenceContext.Provider value={inference}>
        <GanContext.Provider value={gan}>
          <div className="app" style={layout}>
            <Toolbar />
            <NoticeBar />
            <PanelFrame panel="layers" label="layers" edge="right" className="palette" ariaLabel="Layers">
              <Palette />
            </PanelFrame>
            <main className="workspace">
              <Canvas />
            </main>
            <PanelFrame panel="inspector" label="inspector" edge="left" className="inspector" ariaLabel="Inspector">
              <Inspector />
            </PanelFrame>
            <PanelFrame panel="training" label="training" edge="top" className="training" ariaLabel="Training">
              <TrainingPanel />
            </PanelFrame>
            <DialogHost />
          </div>
        </GanContext.Provider>
      </InferenceContext.Provider>
    </ReactFlowProvider>
  );
}
