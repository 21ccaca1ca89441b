import { useGan } from '../../stores/gan';
import { useCurrentRun } from '../../stores/trainingStore';

/** What went wrong, in words: a failed run, a GAN that cannot be split, a trainer's warning. */
export function TrainingMessages() {
  const error = useCurrentRun((run) => run?.error ?? null);
  const warning = useCurrentRun((run) => run?.warning ?? null);
  const gan = useGan();
  const ganProblems = gan && !gan.split.ok ? gan.split.problems : [];
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
      {warning && !error && (
        <div className="training-warning" data-testid="training-warning">
          {warning}
        </div>
      )}
    </>
  );
}
