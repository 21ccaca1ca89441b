import { longName, takesValue, type Options } from './args.js';
import type { TrainingEvent } from '../../shared/api/contract.js';

/** The options that pick the run a run goes on from: the command that continues a run names its own. */
const RESUME_OPTIONS = new Set(['resume', 'start-from', 'from-best', 'fresh']);

/** A word as the shell reads it: quoted when it holds anything but plain path characters. */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `netcanvas train` command that continues run `runId`: the arguments it was started
 * with (same file, data and settings), less the run it went on from, then `--resume RUN-ID`.
 */
export function resumeCommand(args: readonly string[], options: Options, runId: string): string {
  const kept: string[] = [];
  let rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    // After `--` every argument is a file name, and an option would be one too.
    if (arg === '--') {
      rest = args.slice(i);
      break;
    }
    const name = longName(arg);
    const value = name !== null && !arg.includes('=') && takesValue(name, options) && i + 1 < args.length ? [args[++i]!] : [];
    if (name === null || !RESUME_OPTIONS.has(name)) kept.push(arg, ...value);
  }
  return ['netcanvas', 'train', ...kept, '--resume', runId, ...rest].map(shellWord).join(' ');
}

/** The line `netcanvas train` ends a run that was not a failure with: how, how fast on what, and where it is kept. */
export function doneLine(end: Extract<TrainingEvent, { type: 'done' }>, saved: { runId: string; runDir: string; resume: string | null }): string {
  // No backend: it was stopped before it trained, so there is no speed to tell.
  const how =
    end.backend === null
      ? 'Stopped before training began.'
      : `${end.reason === 'stopped' ? 'Stopped.' : end.reason === 'early-stopped' ? 'Stopped early: the validation loss stopped improving.' : 'Done:'} ${Math.round(end.samplesPerSec)} samples/s on ${end.backend}.`;
  const where = saved.runDir ? ` Run ${saved.runId} saved in ${saved.runDir}${saved.resume ? ` (continue with: ${saved.resume})` : ''}.` : '';
  return `${how}${where}`;
}
