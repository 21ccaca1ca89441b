import { spawnSync } from 'node:child_process';

/** A Python 3 that imports torch and numpy, or why there is none. */
export type TorchPython = { python: string; reason: null } | { python: null; reason: string };

let found: TorchPython | null = null;

/**
 * The Python to run PyTorch with: NETCANVAS_PYTHON when set, else Debian's python3, else the
 * python3 on PATH, the first that imports torch and numpy. Looked for once per process.
 */
export function findTorchPython(): TorchPython {
  if (found) return found;
  const candidates = [process.env.NETCANVAS_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => Boolean(c));
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8', timeout: 60_000 });
    if (probe.status === 0) return (found = { python, reason: null });
  }
  return (found = {
    python: null,
    reason: `no Python 3 with PyTorch (tried ${candidates.join(', ')}; on Debian: apt-get install python3-torch libopenblas0-pthread, or set NETCANVAS_PYTHON)`,
  });
}

/**
 * The environment PyTorch trains in: `threads` for OpenMP and OpenBLAS alike, and OpenMP's
 * threads sleeping while they wait (on a shared machine, spinning ones lose most of their
 * speed to each other).
 */
export function torchEnvironment(threads: number): NodeJS.ProcessEnv {
  const n = String(threads);
  return { ...process.env, OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n, OMP_WAIT_POLICY: 'PASSIVE' };
}
