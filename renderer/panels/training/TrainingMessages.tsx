import { useGan } from '../../stores/gan';
import { useCurrentRun } from '../../stores/trainingStore';

const NO_NOTES: string[] = [];

/**
 * What went wrong, in words: a failed run, a GAN that cannot be split, a trainer's warning;
 * and, quietly below, what the trainer said in passing (which layers took saved weights).
 */
export function TrainingMessages() {
  const error = useCurrentRun((run) => run?.error ?? null);
  const warning = useCurrentRun((run) => run?.warning ?? null);
  // An imported run's message says where its weights came from: a description, not a warning.
  const imported = useCurrentRun((run) => run?.status === 'imported');
  const notes = useCurrentRun((run) => run?.notes ?? NO_NOTES);
  const gan = useGan();
  const ganProblems = gan && !gan.split.ok ? gan.split.problems : [];
  const quiet = imported && warning ? [warning, ...notes] : notes;
  return (
    <>
      {error && (
        <div className="training-error" role="alert" data-testid="training-error">
          <strong>Training failed.</strong> {error}
        </div>
      )}
      {ganProblems.length > 0 && (
        <div className="training-error gan-problems" data-testid="gan-problems">
          {ganProblems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      {warning && !error && !imported && (
        <div className="training-warning" data-testid="training-warning">
          {warning}
        </div>
      )}
      {quiet.length > 0 && (
        <div className="training-notes" role="status" data-testid="training-notes">
          {quiet.map((note, i) => (
            <p key={i}>{note}</p>
          ))}
        </div>
      )}
    </>
  );
}
