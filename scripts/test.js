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

/** Runs vitest: whether it passed, and its counts from its JSON report (null when it wrote none). */
function runVitest(name, file, args, env) {
  const ok = step(name, bin('vitest'), ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${path.join(results, file)}`], env);
  const report = readJson(path.join(results, file));
  return { ok, counts: report && { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + (report.numTodoTests ?? 0) } };
}

/**
 * Adds one step's counts to the totals, naming it among the failures when a test failed
 * (`name`), when the run failed with no test failed (`runName`, counted as one failure), or
 * when it left no report.
 */
function tally(name, runName, { ok, counts }) {
  if (!counts) {
    failed++;
    failures.push(`${name} (no report)`);
    return;
  }
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  if (counts.failed > 0) failures.push(name);
  else if (!ok) {
    failed++;
    failures.push(runName);
  }
}

tally('unit tests', 'unit tests', runVitest('unit tests', 'unit.json', []));

// Packaging rebuilds dist/ from the sources, so it runs alone, and before the renderer build below.
tally('packaging', 'packaging run', runVitest('packaging (electron-builder with a stand-in Electron)', 'packaging.json', ['test/unit/packaging'], { NETCANVAS_PACKAGING: '1' }));

if (step('build renderer', bin('vite'), ['build', '--logLevel', 'warn'])) {
  if (!existsSync('/usr/bin/chromium') && !process.env.NETCANVAS_CHROMIUM) {
    process.stdout.write('Chromium is not installed at /usr/bin/chromium (Debian package "chromium"); end-to-end tests cannot run.\n');
  }
  const e2eOk = step('end-to-end tests', bin('playwright'), ['test']);
  const e2e = readJson(path.join(results, 'e2e.json'));
  tally('end-to-end tests', 'end-to-end run', { ok: e2eOk, counts: e2e && { passed: e2e.stats.expected + e2e.stats.flaky, failed: e2e.stats.unexpected, skipped: e2e.stats.skipped } });
} else {
  failed++;
  failures.push('build renderer');
}

if (failures.length > 0) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
