import { useState } from 'react';
import { askInsight } from '../../stores/insightStore';
import { errorText } from '../../stores/uiStore';

/** A language model: a prompt, how adventurous and how long, and the text it goes on with. */
export function PromptTry() {
  const [prompt, setPrompt] = useState('Call me ');
  const [temperature, setTemperature] = useState(0.8);
  const [length, setLength] = useState('200');
  const [result, setResult] = useState<{ prompt: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const count = Number(length);
  const lengthProblem = Number.isInteger(count) && count >= 1 && count <= 2000 ? null : 'The length is a whole number from 1 to 2000.';

  const generate = async () => {
    if (lengthProblem) return;
    setBusy(true);
    setProblem(null);
    try {
      const generated = await askInsight('insight.generate', { request: { kind: 'text', prompt, temperature, length: count } });
      if (generated.kind === 'text') setResult({ prompt: generated.prompt, text: generated.text });
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="try-prompt">
      <div className="try-inputs">
        <textarea className="try-textarea" data-testid="prompt" aria-label="Prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <div className="try-controls">
          <label title="Low: the likeliest next character every time. High: more surprising, more mistakes.">
            Temperature <input type="range" min={0.05} max={3} step={0.05} value={temperature} data-testid="temperature" onChange={(e) => setTemperature(Number(e.target.value))} />
            <span className="mono">{temperature.toFixed(2)}</span>
          </label>
          <label>
            Length <input type="number" min={1} max={2000} value={length} data-testid="generate-length" aria-invalid={lengthProblem !== null} onChange={(e) => setLength(e.target.value)} />
          </label>
          <button className="primary" data-testid="generate" disabled={busy || lengthProblem !== null} onClick={() => void generate()}>
            {busy ? 'Writing…' : 'Generate'}
          </button>
        </div>
        {(lengthProblem ?? problem) && (
          <p className="setting-error" role="alert">
            {lengthProblem ?? problem}
          </p>
        )}
      </div>
      {result && (
        <p className="try-generated" data-testid="generated-text">
          <strong>{result.prompt}</strong>
          {result.text}
        </p>
      )}
    </div>
  );
}
