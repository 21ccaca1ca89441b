#!/usr/bin/env node
// `npm test`: typecheck, lint, the Electron security check, unit tests (vitest), the packaging test,
// end-to-end tests (Playwright in Chromium), then one closing line `N passed, N failed, N skipped`
// counted from the reporters' JSON.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const results = path.join(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function step(name, command, args, env = {}) {
  process.stdout.write(`\n── ${name}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(name, command, args) {
  if (step(name, command, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

check('typecheck (Node side)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
check('typecheck (renderer)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']);
check('lint (layering and imports)', bin('eslint'), ['.']);
check('Electron security (electronegativity)', process.execPath, [path.join(root, 'scripts', 'electronegativity.js')]);

const unitOk = step('unit tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${path.join(results, 'unit.json')}`]);
const unit = readJson(path.join(results, 'unit.json'));
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  skipped += unit.numPendingTests + (unit.numTodoTests ?? 0);
  if (unit.numFailedTests > 0 || (!unitOk && unit.numFailedTests === 0)) failures.push('unit tests');
  if (!unitOk && unit.numFailedTests === 0) failed++;
} else {
  failed++;
  failures.push('unit tests (no report)');
}

// Packaging rebuilds dist/ from the sources, so it runs alone, and before the renderer build below.
const packagingOk = step('packaging (electron-builder with a stand-in Electron)', bin('vitest'), ['run', 'test/unit/packaging', '--reporter=default', '--reporter=json', `--outputFile=${path.join(results, 'packaging.json')}`], { NETCANVAS_PACKAGING: '1' });
const packaging = readJson(path.join(results, 'packaging.json'));
if (packaging) {
  passed += packaging.numPassedTests;
  failed += packaging.numFailedTests;
  skipped += packaging.numPendingTests + (packaging.numTodoTests ?? 0);
  if (packaging.numFailedTests > 0) failures.push('packaging');
  if (!packagingOk && packaging.numFailedTests === 0) {
    failed++;
    failures.push('packaging run');
  }
} else {
  failed++;
  failures.push('packaging (no report)');
}

if (step('build renderer', bin('vite'), ['build', '--logLevel', 'warn'])) {
  if (!existsSync('/usr/bin/chromium') && !process.env.NETCANVAS_CHROMIUM) {
    process.stdout.write('Chromium is not installed at /usr/bin/chromium (Debian package "chromium"); end-to-end tests cannot run.\n');
  }
  const e2eOk = step('end-to-end tests', bin('playwright'), ['test']);
  const e2e = readJson(path.join(results, 'e2e.json'));
  if (e2e) {
    passed += e2e.stats.expected + e2e.stats.flaky;
    failed += e2e.stats.unexpected;
    skipped += e2e.stats.skipped;
    if (e2e.stats.unexpected > 0) failures.push('end-to-end tests');
    if (!e2eOk && e2e.stats.unexpected === 0) {
      failed++;
      failures.push('end-to-end run');
    }
  } else {
    failed++;
    failures.push('end-to-end tests (no report)');
  }
} else {
  failed++;
  failures.push('build renderer');
}

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
