// Test-only preload (`node --import`): with NETCANVAS_KILL_ON_SAVE=N the process SIGKILLs
// itself at the N-th rename onto a `.netcanvas.json` file, i.e. between an atomic save's
// flushed temporary file and its rename, where a crash must leave the old file whole.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const target = Number(process.env.NETCANVAS_KILL_ON_SAVE);

if (Number.isInteger(target) && target > 0) {
  const fsPromises = createRequire(import.meta.url)('node:fs/promises');
  const rename = fsPromises.rename;
  let seen = 0;
  fsPromises.rename = function renameOrDie(from, to) {
    if (String(to).endsWith('.netcanvas.json') && ++seen === target) process.kill(process.pid, 'SIGKILL');
    return rename.call(this, from, to);
  };
  // ES modules' `import { rename } from 'node:fs/promises'` bindings follow the patched object only after this.
  syncBuiltinESMExports();
}
