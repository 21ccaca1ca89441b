#!/usr/bin/env node
// Runs Electronegativity (Electron's security linter) offline on electron/ and fails on any
// finding of MEDIUM severity or above that electron/shell/electronegativity-allow.json does
// not explain. Each entry there names the check, the file, and why the finding is fine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const allowFile = path.join(root, 'electron/shell/electronegativity-allow.json');
const allowName = path.relative(root, allowFile);
const PASSING = new Set(['INFORMATIONAL', 'LOW']);

function fail(message) {
  process.stderr.write(`electronegativity: ${message}\n`);
  process.exit(1);
}

/** The reviewed findings, each checked to say what, where and why. */
function readAllowList() {
  let entries;
  try {
    entries = JSON.parse(readFileSync(allowFile, 'utf8'));
  } catch (err) {
    fail(`${allowName} cannot be read as JSON: ${err.message}`);
  }
  if (!Array.isArray(entries)) fail(`${allowName} must hold a list of {check, file, why}.`);
  entries.forEach((entry, i) => {
    const where = `${allowName}, entry ${i + 1}`;
    for (const key of ['check', 'file', 'why']) {
      if (typeof entry?.[key] !== 'string' || entry[key].trim() === '') fail(`${where} needs "${key}" as text.`);
    }
    const extra = Object.keys(entry).filter((key) => !['check', 'file', 'why'].includes(key));
    if (extra.length) fail(`${where} has ${extra.map((k) => `"${k}"`).join(', ')}, which is not check, file or why.`);
    if (entry.why.trim().split(/\s+/).length < 6) fail(`${where} ("${entry.check}" in ${entry.file}) must say in a sentence why the finding is fine.`);
  });
  return entries;
}

/** The tool's CSV: one finding a line, `ISSUE,"SEVERITY","CONFIDENCE","file","line:column",...`. */
function findings(csv) {
  const found = [];
  for (const line of csv.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*),"([A-Z]+)","([A-Z]+)","([^"]*)","([^"]*)"/.exec(line);
    if (!match) continue;
    const [, check, severity, confidence, file, location] = match;
    found.push({ check, severity, confidence, file: file === 'N/A' ? 'N/A' : path.relative(root, file), location });
  }
  return found;
}

const allowed = readAllowList();
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const out = mkdtempSync(path.join(os.tmpdir(), 'netcanvas-electronegativity-'));
const csvFile = path.join(out, 'findings.csv');
// -e names the Electron version, so the tool does not look it up online.
const run = spawnSync(path.join(root, 'node_modules/.bin/electronegativity'), ['-i', path.join(root, 'electron'), '-e', electronVersion, '-o', csvFile], {
  cwd: root,
  encoding: 'utf8',
  timeout: 180_000,
});
if (run.error) fail(`could not run: ${run.error.message}`);
if (run.status !== 0) fail(`exited with code ${run.status}:\n${run.stderr || run.stdout}`);
let csv;
try {
  csv = readFileSync(csvFile, 'utf8');
} catch {
  fail(`wrote no findings file:\n${run.stderr || run.stdout}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}

const all = findings(csv);
const used = new Set();
const unexplained = all.filter((f) => {
  if (PASSING.has(f.severity)) return false;
  const entry = allowed.findIndex((a) => a.check === f.check && a.file === f.file);
  if (entry === -1) return true;
  used.add(entry);
  return false;
});

process.stdout.write(`Electronegativity on electron/ (Electron ${electronVersion}): ${all.length} findings, ${all.length - unexplained.length} below MEDIUM or explained in ${allowName}.\n`);
allowed.forEach((entry, i) => {
  if (!used.has(i)) process.stdout.write(`  note: the allowance for ${entry.check} in ${entry.file} matched nothing; remove it if the finding is gone.\n`);
});
for (const f of unexplained) {
  process.stdout.write(`  ${f.severity} ${f.check} in ${f.file} at ${f.location}: fix it, or explain it in ${allowName}.\n`);
}
process.exit(unexplained.length > 0 ? 1 : 0);
