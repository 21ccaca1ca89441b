// Spawned by runs.test.ts: a Backend in its own process that starts a long run, says so, and
// keeps training until it is killed, so a test can kill the Backend with its run in flight.
import { Backend } from '../../../../electron/backend/backend.js';
import { forkLauncher } from '../../../../electron/training/launcher.js';
import { project } from '../../../fixtures/graphs.js';

const [runsDir] = process.argv.slice(2);
if (!runsDir) throw new Error('usage: own-a-run.ts RUNS-DIR');
const backend = new Backend({ launcher: forkLauncher, runsDir });
let said = false;
backend.subscribe(({ event }) => {
  if (event.type === 'batch' && !said) {
    said = true;
    void backend.flushRuns().then(() => process.stdout.write(`training ${event.runId}\n`));
  }
  if (event.type === 'done' || event.type === 'error') process.stdout.write(`ended ${event.type}\n`);
});
await backend.call('training.start', { project: project(), config: { epochs: 50 } });
