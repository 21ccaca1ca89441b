import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCurrentReport } from '../../stores/dataStore';
import { dataFitOf, type DataFit } from '../../stores/dataFit';
import { useGraphStore } from '../../stores/graphStore';
import { useInference } from '../../stores/inference';

export type { DataFit } from '../../stores/dataFit';

/** Where the network on the canvas and the project's data disagree, as the Backend checks before a run. */
export function useDataFit(): DataFit {
  const report = useCurrentReport();
  const inference = useInference();
  const hasNodes = useGraphStore((s) => s.graph.nodes.length > 0);
  const settings = useGraphStore(useShallow((s) => ({ task: s.meta.training.task, loss: s.meta.training.loss, gan: s.meta.training.gan })));
  return useMemo(() => dataFitOf(useGraphStore.getState().graph, inference, report, settings), [report, inference, hasNodes, settings]);
}
