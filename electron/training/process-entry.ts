import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A process's entry point in the folder of the module at `moduleUrl`: its TypeScript source
 * with tsx when that module runs from source, else the built JavaScript.
 */
export function entryBeside(moduleUrl: string, stem: string): { path: string; execArgv: string[] } {
  const self = fileURLToPath(moduleUrl);
  const fromSource = self.endsWith('.ts');
  return {
    path: path.join(path.dirname(self), `${stem}.${fromSource ? 'ts' : 'js'}`),
    // tsx as a file URL: a bare name would be looked up from wherever the user runs the CLI.
    execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [],
  };
}
