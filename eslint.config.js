// Lint enforces the layering in ARCHITECTURE.md, so a wrong import fails `npm test`.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'crypto', 'net', 'url', 'util', 'stream'];

// Every file NetCanvas writes goes through electron/files/atomic.ts: a crash mid-write must leave the old file whole.
const FS_WRITES = 'writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFile|copyFileSync|cp|cpSync|truncate|truncateSync|write|writeSync|writev|writevSync';
const ATOMIC_WRITES_MESSAGE = 'Write files with writeFileAtomic or copyFolderAtomic from electron/files/atomic.ts, never with node:fs directly.';
const FS_MODULE = '/^(node:)?fs(\\/promises)?$/';
const WHOLE_FS_MESSAGE = "Import the node:fs functions you need by name (import { readFile } from 'node:fs/promises'): a whole node:fs module hides its writes from this rule. Write files with writeFileAtomic or copyFolderAtomic from electron/files/atomic.ts.";
const atomicWrites = [
  // `promises` is a whole module too: `promises.writeFile` under any other name would slip by.
  { selector: `ImportDeclaration[source.value=${FS_MODULE}] > ImportSpecifier[imported.name=/^(${FS_WRITES}|promises)$/]`, message: ATOMIC_WRITES_MESSAGE },
  // The whole module, by default or namespace import, require() or import(): its writes could go by any name.
  { selector: `ImportDeclaration[source.value=${FS_MODULE}] > :matches(ImportDefaultSpecifier, ImportNamespaceSpecifier)`, message: WHOLE_FS_MESSAGE },
  { selector: `CallExpression[callee.name='require'][arguments.0.value=${FS_MODULE}]`, message: WHOLE_FS_MESSAGE },
  { selector: `ImportExpression[source.value=${FS_MODULE}]`, message: WHOLE_FS_MESSAGE },
  { selector: `MemberExpression[object.name=/^(fs|fsp|promises)$/][property.name=/^(${FS_WRITES})$/]`, message: ATOMIC_WRITES_MESSAGE },
  // open() for reading is fine; with a flag that writes ('w', 'a', 'r+'…) it is a write.
  { selector: "CallExpression[callee.name=/^(open|openSync)$/][arguments.1.value=/[wa+]/]", message: ATOMIC_WRITES_MESSAGE },
  { selector: "CallExpression[callee.property.name=/^(open|openSync)$/][arguments.1.value=/[wa+]/]", message: ATOMIC_WRITES_MESSAGE },
];
const setBackendOnlyThere = { selector: "CallExpression[callee.property.name='setBackend']", message: 'Pick tfjs backends only in electron/training/tf-backend.ts.' };

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-results/**', 'playwright-report/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/main.ts, electron/preload.ts and electron/shell/ may import electron.' }] }],
    },
  },
  {
    files: ['shared/**'],
    rules: restrict(
      ['electron', '**/electron/**', '**/renderer/**', '@tensorflow/*', 'react', 'react-dom', ...nodeBuiltins],
      'shared/ runs anywhere: no Node, DOM libraries, Electron, tfjs, or code from electron/ and renderer/.',
    ),
  },
  {
    files: ['renderer/**'],
    rules: restrict(
      ['electron', '**/electron/**', '@tensorflow/tfjs-node*', ...nodeBuiltins],
      'renderer/ talks to the Backend only through renderer/api: no electron, node:* or native modules.',
    ),
  },
  {
    files: ['electron/**'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**'],
    rules: restrict(['electron', '**/renderer/**'], 'Only electron/main.ts, electron/preload.ts and electron/shell/ import electron; nothing here imports the renderer.'),
  },
  {
    // The desktop shell: Electron, and everything in electron/, but never the renderer's code.
    files: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**'],
    rules: restrict(['**/renderer/**'], 'The desktop shell serves the renderer; it never imports its code.'),
  },
  {
    // Only the backend-selection module may ask which tfjs backend runs; only electron/files/ writes files.
    files: ['electron/**', 'bin/**'],
    ignores: ['electron/training/tf-backend.ts', 'electron/files/**'],
    rules: { 'no-restricted-syntax': ['error', setBackendOnlyThere, ...atomicWrites] },
  },
  { files: ['electron/training/tf-backend.ts'], rules: { 'no-restricted-syntax': ['error', ...atomicWrites] } },
  { files: ['electron/files/**'], rules: { 'no-restricted-syntax': ['error', setBackendOnlyThere] } },
);
