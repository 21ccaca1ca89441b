import { useState } from 'react';
import { percent } from './fairness';
import { visibleToken } from './figures';
import type { InsightInfo } from '../../../shared/api/insight';
import { setInput, useInsightStore } from '../../stores/insightStore';
import { ImageGrid } from '../training/ImageGrid';

/** A test example at random, as the input the Try and Explain tabs hold. */
function takeTestExample(info: InsightInfo): void {
  const index = Math.floor(Math.random() * info.testCount);
  setInput({ kind: 'example', split: 'test', index }, `Test example ${index}`);
}

/** A generator's noise from a seed at random. */
function drawNoise(): void {
  const seed = Math.floor(Math.random() * 1_000_000);
  setInput({ kind: 'noise', seed }, `Noise, seed ${seed}`);
}

/** The words (or characters) a text example was read as, without its padding, cut short for a glance. */
function readTokens(tokens: readonly string[], info: InsightInfo): string {
  const text = tokens.filter((t) => t !== '').join(info.input === 'corpus' ? '' : ' ');
  return text.length > 320 ? `${text.slice(0, 320)}…` : text;
}

/** The input being explained, small, with its label and the network's answer; or ways to give one. */
export function ExplainInput({ info }: { info: InsightInfo }) {
  const input = useInsightStore((s) => s.input);
  const label = useInsightStore((s) => s.inputLabel);
  const prediction = useInsightStore((s) => s.prediction);
  const predicting = useInsightStore((s) => s.predicting);
  const predictError = useInsightStore((s) => s.predictError);
  const typed = input?.kind === 'text' ? input.text : '';
  const [text, setText] = useState(typed);
  const textual = info.input === 'text' || info.input === 'corpus';
  const top = prediction?.top?.[0];
  return (
    <section className="explain-input" data-testid="explain-input">
      <div className="explain-input-view">
        {(prediction?.seen ?? prediction?.image) && <ImageGrid batch={(prediction.seen ?? prediction.image)!} label={label ?? 'The input'} maxScale={3} />}
        <div className="explain-input-text">
          {input ? (
            <>
              <strong data-testid="explain-input-label">{label}</strong>
              {input.kind === 'example' && textual && prediction?.tokens && <q className="example-text">{readTokens(prediction.tokens, info)}</q>}
              {predicting && <span className="data-loading"> asking the network…</span>}
              {predictError && <span className="setting-error"> {predictError}</span>}
              {top && (
                <span className="explain-answer" data-testid="explain-answer" data-class={top.class}>
                  {info.task === 'language-model' ? 'next, most likely' : 'answered'} <strong>{visibleToken(top.class)}</strong> ({percent(top.probability)}){prediction?.truth !== undefined && <> · truly {visibleToken(prediction.truth)}</>}
                </span>
              )}
              {prediction?.value && <span className="explain-answer">answered {prediction.value.map((v) => v.toPrecision(4)).join(', ')}</span>}
            </>
          ) : (
            <span className="muted">No input yet: the Try tab’s input is explained here.</span>
          )}
        </div>
        {info.input === 'noise' ? (
          <button onClick={drawNoise} data-testid="explain-draw-noise">
            {input ? 'Other noise' : 'Draw noise'}
          </button>
        ) : (
          info.testCount > 0 && (
            <button onClick={() => takeTestExample(info)} data-testid="explain-take-example">
              {input ? 'Another test example' : 'Take a test example'}
            </button>
          )
        )}
      </div>
      {textual && (
        <form
          className="explain-text-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) setInput({ kind: 'text', text }, info.input === 'corpus' ? 'Prompt' : 'Text');
          }}
        >
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            rows={2}
            placeholder={info.input === 'corpus' ? 'A prompt for the language model' : 'A review to classify'}
            aria-label={info.input === 'corpus' ? 'Prompt to explain' : 'Text to explain'}
            data-testid="explain-text"
          />
          <button type="submit" disabled={!text.trim() || text === typed} data-testid="explain-use-text">
            Use this text
          </button>
        </form>
      )}
    </section>
  );
}
