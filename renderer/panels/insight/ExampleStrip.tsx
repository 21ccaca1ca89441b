import type { ReactNode } from 'react';
import type { ExampleView } from '../../../shared/api/insight';
import { ImageGrid } from '../training/ImageGrid';

interface Props {
  examples: readonly ExampleView[];
  title: ReactNode;
  testId: string;
  /** A table's feature column names, in the order of each example's cells. */
  fields?: readonly string[];
  /** A line under each example beside its truth, e.g. what the network answered. */
  note?: (example: ExampleView, position: number) => string | null;
  /** Takes the example as the input the Try and Explain tabs hold. */
  onPick?: (example: ExampleView) => void;
}

function Body({ example, fields }: { example: ExampleView; fields?: readonly string[] }) {
  if (example.image) return <ImageGrid batch={example.image} label={`Example ${example.index}, truly ${example.truth}`} maxScale={3} />;
  if (example.text !== undefined) return <q className="example-text">{example.text}</q>;
  if (example.cells) {
    return (
      <dl className="example-cells">
        {example.cells.map((cell, i) => (
          <div key={i}>
            <dt>{fields?.[i] ?? `column ${i + 1}`}</dt>
            <dd>{cell}</dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span className="muted">#{example.index}</span>;
}

/** Examples of a split side by side, each with its true answer: a confusion cell's, the most confident mistakes. */
export function ExampleStrip({ examples, title, testId, fields, note, onPick }: Props) {
  const wide = examples.some((e) => e.image === undefined);
  return (
    <figure className={`example-strip ${wide ? 'wide' : ''}`} data-testid={testId}>
      <figcaption>{title}</figcaption>
      {examples.length === 0 ? (
        <p className="muted">No examples.</p>
      ) : (
        <ol>
          {examples.map((example, i) => {
            const line = note?.(example, i);
            return (
              <li key={`${example.index}-${i}`} data-testid="example-view" data-index={example.index} data-truth={example.truth}>
                <Body example={example} fields={fields} />
                <span className="image-label" title={`Example ${example.index} of the split`}>
                  {example.truth}
                </span>
                {line && <span className="example-note">{line}</span>}
                {onPick && (
                  <button className="link-button" onClick={() => onPick(example)} title="Hold this example in the Try and Explain tabs">
                    Explain
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </figure>
  );
}
