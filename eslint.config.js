// Lint enforces the layering in ARCHITECTURE.md, so a wrong import fails `npm test`.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'crypto', 'net', 'url', 'util', 'stream'];

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
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only electron/main.ts and electron/preload.ts may import electron.' }] }],
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
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: restrict(['electron', '**/renderer/**'], 'Only electron/main.ts and electron/preload.ts import electron; nothing here imports the renderer.'),
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Only the backend-selection module may ask which tfjs backend runs.
    files: ['electron/**'],
    ignores: ['electron/training/tf-backend.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='setBackend']", message: 'Pick tfjs backends only in electron/training/tf-backend.ts.' },
      ],
    },
  },
);
