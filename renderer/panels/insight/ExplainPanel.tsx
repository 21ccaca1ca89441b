import { useEffect, useRef, useState } from 'react';
import { Activations } from './Activations';
import { Adversarial } from './Adversarial';
import { AttentionMap } from './AttentionMap';
import { Attribution } from './Attribution';
import { ExplainInput } from './ExplainInput';
import { HealthPanel } from './HealthPanel';
import { HeatOverlay } from './HeatOverlay';
import { InsightGate } from './InsightGate';
import { defaultLayer, layersFor, METHOD_HELP, METHOD_LABELS, methodsFor, noMethodsReason } from './methods';
import './insight.css';
import type { ExplainMethod, Explanation, ExplainRequest, InsightInfo } from '../../../shared/api/insight';
import { chooseEpsilon, chooseLayer, chooseMethod, explainInput, useExplainStore } from '../../stores/evaluateStore';
import { useInsightStore } from '../../stores/insightStore';

/** Whether an explanation answers the method now chosen: one asked with another stays hidden until asked again. */
function answers(explanation: Explanation, method: ExplainMethod): boolean {
  return explanation.kind === 'heatmap' ? explanation.method === method : explanation.kind === method;
}

const CLASS_METHODS: readonly ExplainMethod[] = ['saliency', 'smoothgrad', 'gradcam', 'attribution'];

function layerName(info: InsightInfo, layer: string): string {
  return info.layers.find((l) => l.id === layer || l.name === layer)?.name ?? layer;
}

function Result({ explanation, info, onEpsilon, busy }: { explanation: Explanation; info: InsightInfo; onEpsilon: (epsilon: number) => void; busy: boolean }) {
  const epsilon = useExplainStore((s) => s.epsilon);
  switch (explanation.kind) {
    case 'heatmap':
      return <HeatOverlay result={explanation} info={info} />;
    case 'activations':
      return <Activations result={explanation} layerName={layerName(info, explanation.layer)} />;
    case 'attention':
      return <AttentionMap result={explanation} layerName={layerName(info, explanation.layer)} />;
    case 'attribution':
      return <Attribution result={explanation} />;
    case 'adversarial':
      return <Adversarial result={explanation} epsilon={epsilon} onEpsilon={onEpsilon} busy={busy} />;
  }
}

function ExplainBody() {
  const info = useInsightStore((s) => s.info)!;
  const run = useInsightStore((s) => s.run)!;
  const hasInput = useInsightStore((s) => s.input !== null);
  const chosen = useExplainStore((s) => s.method);
  const layers = useExplainStore((s) => s.layers);
  const epsilon = useExplainStore((s) => s.epsilon);
  const explaining = useExplainStore((s) => s.explaining);
  const explanation = useExplainStore((s) => s.explanation);
  const error = useExplainStore((s) => s.error);
  const [classIndex, setClassIndex] = useState<number | null>(null);
  const methods = methodsFor(info);
  const method = chosen && methods.includes(chosen) ? chosen : (methods[0] ?? null);
  const choices = method ? layersFor(info, method) : [];
  const layer = method ? (layers[method] && choices.some((l) => l.id === layers[method]) ? layers[method] : defaultLayer(info, method)) : null;
  const classes = info.classes ?? [];
  const pickClass = method !== null && CLASS_METHODS.includes(method) && classes.length > 1;

  const request = (eps = epsilon): ExplainRequest | null =>
    method && {
      method,
      ...(layer && choices.length > 0 ? { layer } : {}),
      ...(pickClass && classIndex !== null ? { classIndex } : {}),
      ...(method === 'adversarial' ? { epsilon: eps } : {}),
    };

  // The strength slider searches again once it rests, not at every step of a drag.
  const asked = useRef<number | null>(null);
  const adversarialShown = explanation?.kind === 'adversarial';
  useEffect(() => {
    if (method !== 'adversarial' || !adversarialShown || asked.current === epsilon) return;
    const timer = setTimeout(() => {
      const next = request(epsilon);
      asked.current = epsilon;
      if (next) void explainInput(next);
    }, 350);
    return () => clearTimeout(timer);
  });

  const reason = noMethodsReason(info);
  const shown = explanation && method && answers(explanation, method) ? explanation : null;
  return (
    <>
      <ExplainInput info={info} />
      {reason ? (
        <p className="data-hint">{reason}</p>
      ) : (
        <div className="explain-controls">
          <label className="chart-option">
            Method
            <select data-testid="explain-method" value={method ?? ''} onChange={(e) => chooseMethod(e.target.value as ExplainMethod)}>
              {methods.map((m) => (
                <option key={m} value={m}>
                  {METHOD_LABELS[m]}
                </option>
              ))}
            </select>
          </label>
          {method && choices.length > 0 && (
            <label className="chart-option">
              Layer
              <select data-testid="explain-layer" value={layer ?? ''} onChange={(e) => chooseLayer(method, e.target.value)}>
                {choices.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name} ({l.type})
                  </option>
                ))}
              </select>
            </label>
          )}
          {pickClass && (
            <label className="chart-option">
              Class
              <select data-testid="explain-class" value={classIndex ?? ''} onChange={(e) => setClassIndex(e.target.value === '' ? null : Number(e.target.value))}>
                <option value="">the top answer</option>
                {classes.map((c, i) => (
                  <option key={i} value={i}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            className="primary"
            data-testid="explain-button"
            disabled={!hasInput || explaining || !method}
            title={hasInput ? undefined : 'Give the network an input first: draw, pick or type one above, or in the Try tab'}
            onClick={() => {
              const next = request();
              asked.current = epsilon;
              if (next) void explainInput(next);
            }}
          >
            Explain
          </button>
          {explaining && <span className="data-loading">Explaining…</span>}
          {method && <p className="setting-help explain-help">{METHOD_HELP[method]}</p>}
        </div>
      )}
      {error && (
        <p className="training-error" role="alert">
          {error}
        </p>
      )}
      {shown && (
        <div className={`explain-result ${explaining ? 'data-stale' : ''}`} data-testid="explanation">
          <Result explanation={shown} info={info} onEpsilon={chooseEpsilon} busy={explaining} />
        </div>
      )}
      <HealthPanel run={run} />
    </>
  );
}

/** The Explain tab: why the network answered as it did for the Try tab's input, what its layers see, and how its training went. */
export function ExplainPanel() {
  return (
    <InsightGate name="explain">
      <ExplainBody />
    </InsightGate>
  );
}
