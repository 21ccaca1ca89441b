import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from '../canvas/Canvas';
import { Inspector } from '../panels/Inspector';
import { NoticeBar } from '../panels/NoticeBar';
import { Palette } from '../panels/Palette';
import { Toolbar } from '../panels/Toolbar';
import { TrainingPanel } from '../panels/TrainingPanel';
import { InferenceContext, useComputedInference } from '../stores/inference';

export function App() {
  const inference = useComputedInference();
  return (
    <ReactFlowProvider>
      <InferenceContext.Provider value={inference}>
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
      </InferenceContext.Provider>
    </ReactFlowProvider>
  );
}
