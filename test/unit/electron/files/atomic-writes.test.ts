import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

/** The messages of the atomic-writes rule for `code` as if it were the file at `filePath`. */
async function writeProblems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => `${m.line}: ${m.message}`);
}

const MESSAGE = 'Write files with writeFileAtomic or copyFolderAtomic from electron/files/atomic.ts, never with node:fs directly.';
const WHOLE = "Import the node:fs functions you need by name (import { readFile } from 'node:fs/promises'): a whole node:fs module hides its writes from this rule. Write files with writeFileAtomic or copyFolderAtomic from electron/files/atomic.ts.";

describe('every file NetCanvas writes goes through electron/files/atomic.ts (eslint.config.js)', () => {
  it('refuses node:fs writes anywhere in electron/ and bin/ but electron/files/', async () => {
    const code = [
      "import { writeFile, open, readFile } from 'node:fs/promises';",
      "import * as fs from 'node:fs';",
      "export const a = () => fs.createWriteStream('x');",
      "export const b = () => open('x', 'w');",
      "export const c = () => open('x', 'r');",
      "export const d = () => readFile('x');",
      'export const e = writeFile;',
    ].join('\n');
    for (const file of ['electron/cli/example.ts', 'electron/backend/example.ts', 'electron/training/tf-backend.ts']) {
      expect(await writeProblems(code, file)).toEqual([`1: ${MESSAGE}`, `2: ${WHOLE}`, `3: ${MESSAGE}`, `4: ${MESSAGE}`]);
    }
    expect(await writeProblems("import { appendFileSync } from 'fs';\nappendFileSync('x', 'y');\n", 'bin/example.js')).toEqual([`1: ${MESSAGE}`]);
    expect(await writeProblems(code, 'electron/files/example.ts')).toEqual([]);
  });

  it('refuses the whole module under any name, so that no write goes by one the rule does not know', async () => {
    const code = [
      "import fsPromises from 'node:fs/promises';",
      "import * as disk from 'fs';",
      "import { promises as p, readFileSync } from 'node:fs';",
      "export const a = () => fsPromises.writeFile('x', 'y');",
      "export const b = () => disk.appendFileSync('x', 'y');",
      "export const c = () => p.writeFile('x', 'y');",
      "export const d = async () => (await import('node:fs')).writeFileSync('x', 'y');",
      "export const e = () => readFileSync('x');",
    ].join('\n');
    expect(await writeProblems(code, 'electron/backend/example.ts')).toEqual([`1: ${WHOLE}`, `2: ${WHOLE}`, `3: ${MESSAGE}`, `7: ${WHOLE}`]);
    expect(await writeProblems("const fs = require('node:fs');\nfs.writeFileSync('x', 'y');\n", 'bin/example.js')).toEqual([`1: ${WHOLE}`, `2: ${MESSAGE}`]);
    expect(await writeProblems(code, 'electron/files/example.ts')).toEqual([]);
  });

  it('keeps refusing setBackend outside tf-backend.ts beside it', async () => {
    expect(await writeProblems('declare const tf: { setBackend(n: string): void };\ntf.setBackend("cpu");\n', 'electron/files/example.ts')).toEqual([
      '2: Pick tfjs backends only in electron/training/tf-backend.ts.',
    ]);
  });
});
