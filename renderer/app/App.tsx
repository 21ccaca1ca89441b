import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from '../canvas/Canvas';
import { Inspector } from '../panels/Inspector';
import { NoticeBar } from '../panels/NoticeBar';
import { Palette } from '../panels/Palette';
import { Toolbar } from '../panels/Toolbar';
import { TrainingPanel } from '../panels/TrainingPanel';
import { useDatasetSync } from '../stores/dataStore';
import { GanContext, useComputedGan } from '../stores/gan';
import { InferenceContext, useComputedInference } from '../stores/inference';

export function App() {
  useDatasetSync();
  const inference = useComputedInference();
  const gan = useComputedGan(inference);
  return (
    <ReactFlowProvider>
      <InferenceContext.Provider value={inference}>
        <GanContext.Provider value={gan}>
          <div className="app">
            <Toolbar />
            <NoticeBar />
            <Palette />
            <main className="workspace">
              <Canvas />
            </main>
            <Inspector />
            <TrainingPanel />
          </div>
        </GanContext.Provider>
      </InferenceContext.Provider>
    </ReactFlowProvider>
  );
}
