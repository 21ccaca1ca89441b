import { readFileSync } from 'node:fs';
import type { RunOwner } from '../../shared/api/contract.js';

/**
 * When a process started, as the system tells it: on Linux the boot's id and the start time in
 * clock ticks since boot (/proc), which no later process with the same pid shares. Null where
 * the system does not say; there a live pid is taken for the owner.
 */
function startOf(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces; the fields after it are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[19];
    return ticks === undefined ? null : `${boot}:${ticks}`;
  } catch {
    return null;
  }
}

let self: RunOwner | null = null;

/** This process, as the owner of the runs it keeps records of. */
export function currentOwner(): RunOwner {
  self ??= { pid: process.pid, started: startOf(process.pid) };
  return self;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process that kept a run's record is still running. */
export function ownerAlive(owner: RunOwner): boolean {
  if (!pidAlive(owner.pid)) return false;
  if (owner.started === null) return true;
  const started = startOf(owner.pid);
  // A start time that cannot be read now (the process ended meanwhile, or /proc is hidden) proves nothing.
  return started === null ? pidAlive(owner.pid) : started === owner.started;
}
