#!/usr/bin/env node
// `npm run dist`: builds the app, then its installers with electron-builder (the "build" section of
// package.json). Electron is taken from a local folder or zip, never downloaded here:
//   --electron-dist <folder|zip>, else NETCANVAS_ELECTRON_DIST, else node_modules/electron/dist
// (what `npm install` downloads, usable for this machine's own platform). Other arguments go to
// electron-builder as they are, e.g. `npm run dist -- --linux dir`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).build.electronVersion;
const HOW = 'pass a local Electron folder or zip with `npm run dist -- --electron-dist <folder>` or NETCANVAS_ELECTRON_DIST=<folder>';

function fail(message) {
  process.stderr.write(`npm run dist: ${message}\n`);
  process.exit(1);
}

/** `--electron-dist <value>` or `--electron-dist=<value>` taken out of the arguments; the rest go to electron-builder. */
function takeElectronDist(args) {
  const rest = [];
  let value = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--electron-dist') {
      value = args[++i] ?? fail(`--electron-dist needs a folder after it; ${HOW}.`);
    } else if (arg.startsWith('--electron-dist=')) {
      value = arg.slice('--electron-dist='.length);
    } else rest.push(arg);
  }
  return { value, rest };
}

const PLATFORM_FLAGS = { darwin: ['-m', '--mac', '-o', '--macos'], win32: ['-w', '--win', '--windows'], linux: ['-l', '--linux'] };

/** Whether electron-builder is asked for another platform than this machine's, which the installed Electron cannot serve. */
function asksForOtherPlatform(args) {
  return Object.entries(PLATFORM_FLAGS).some(([platform, flags]) => platform !== process.platform && args.some((arg) => flags.includes(arg)));
}

/** The installed Electron's folder, as `node install.js` of the electron package leaves it, or why it cannot be used. */
function installedElectron(args) {
  const dir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(dir, 'path.txt')) || !existsSync(path.join(dir, 'dist'))) {
    return { missing: `no Electron ${version} binary to package (node_modules/electron has no dist/ folder or path.txt, and it is not downloaded here)` };
  }
  if (asksForOtherPlatform(args)) return { missing: `the installed Electron is for ${process.platform} only, and installers for another platform were asked for` };
  return { dist: path.join(dir, 'dist') };
}

/** Checks that a folder or zip given by the user can be an Electron distribution, in words naming what is wrong. */
function checkElectronDist(dist, from) {
  if (!existsSync(dist)) fail(`the Electron given by ${from}, ${dist}, does not exist; ${HOW}.`);
  if (statSync(dist).isFile()) {
    if (!dist.endsWith('.zip')) fail(`the Electron given by ${from}, ${dist}, is a file but not a .zip of an Electron distribution.`);
    return;
  }
  const entries = readdirSync(dist);
  const executable = ['electron', 'electron.exe', 'Electron.app'].some((name) => entries.includes(name));
  const zip = entries.some((name) => /^electron-v.+\.zip$/.test(name));
  if (!executable && !zip) fail(`the Electron given by ${from}, ${dist}, holds no electron, electron.exe or Electron.app (nor an electron-v${version}-<platform>-<arch>.zip).`);
  const versionFile = path.join(dist, 'version');
  if (existsSync(versionFile)) {
    const found = readFileSync(versionFile, 'utf8').trim().replace(/^v/, '');
    if (found !== version) fail(`the Electron given by ${from}, ${dist}, is version ${found}, but the app is built for ${version} (package.json, build.electronVersion).`);
  }
}

function run(command, args, shell = false) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const { value, rest } = takeElectronDist(process.argv.slice(2));
let electronDist;
if (value !== null) {
  electronDist = path.resolve(value);
  checkElectronDist(electronDist, '--electron-dist');
} else if (process.env.NETCANVAS_ELECTRON_DIST) {
  electronDist = path.resolve(process.env.NETCANVAS_ELECTRON_DIST);
  checkElectronDist(electronDist, 'NETCANVAS_ELECTRON_DIST');
} else {
  const installed = installedElectron(rest);
  if (installed.missing) fail(`${installed.missing}; ${HOW}.`);
  electronDist = installed.dist;
}

// npm.cmd starts only through a shell on Windows.
run(npm, ['run', 'build', '--silent'], process.platform === 'win32');
const publish = rest.some((arg) => arg === '--publish' || arg === '-p' || arg.startsWith('--publish=')) ? [] : ['--publish', 'never'];
run(process.execPath, [path.join(root, 'node_modules', 'electron-builder', 'cli.js'), ...rest, ...publish, `--config.electronDist=${electronDist}`]);
