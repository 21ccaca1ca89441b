import type { Backend } from '../../../../electron/backend/backend.js';
import type { TrainingEvent } from '../../../../shared/api/contract.js';

/** Every training event a Backend broadcasts, and a way to wait for the first that matches. */
export function collect(b: Backend) {
  const events: TrainingEvent[] = [];
  const waiters: Array<() => void> = [];
  b.subscribe(({ event }) => {
    events.push(event);
    waiters.forEach((w) => w());
  });
  const until = (pred: (e: TrainingEvent) => boolean) =>
    new Promise<TrainingEvent>((resolve) => {
      const check = () => {
        const hit = events.find(pred);
        if (hit) resolve(hit);
      };
      waiters.push(check);
      check();
    });
  return { events, until };
}
