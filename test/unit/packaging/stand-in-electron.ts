// A folder laid out as a Linux Electron distribution, for packaging where no Electron binary can
// be downloaded. Its `electron` is not a browser: it is a file that holds the fuse wire, in the
// format @electron/fuses reads and writes (sentinel, wire version, wire length, one byte a fuse).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FuseV1Options } from '@electron/fuses';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** A fuse's byte on the wire: ASCII '1' for on, '0' for off. */
export const ON = 0x31;
export const OFF = 0x30;

/** The fuses as a downloaded Electron has them: every one the app needs changed starts the other way. */
export const STOCK_FUSES: Record<FuseV1Options, number> = {
  [FuseV1Options.RunAsNode]: ON,
  [FuseV1Options.EnableCookieEncryption]: OFF,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: ON,
  [FuseV1Options.EnableNodeCliInspectArguments]: ON,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: OFF,
  [FuseV1Options.OnlyLoadAppFromAsar]: OFF,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: OFF,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: ON,
};

/** An ASAR archive of one small file, as Electron's own start page (default_app.asar) is one. */
export function tinyAsar(): Buffer {
  const content = Buffer.from("console.log('Electron');\n");
  const json = Buffer.from(JSON.stringify({ files: { 'main.js': { size: content.length, offset: '0' } } }));
  const padded = Buffer.concat([json, Buffer.alloc((4 - (json.length % 4)) % 4)]);
  // Chromium pickles: the header's size, then the header as a length-prefixed string.
  const header = Buffer.alloc(8 + padded.length);
  header.writeUInt32LE(4 + padded.length, 0);
  header.writeUInt32LE(json.length, 4);
  padded.copy(header, 8);
  const size = Buffer.alloc(8);
  size.writeUInt32LE(4, 0);
  size.writeUInt32LE(header.length, 4);
  return Buffer.concat([size, header, content]);
}

/** Writes the stand-in distribution into `dir` and returns it. */
export function makeStandInElectron(dir: string, version: string): string {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  const wire = Object.values(FuseV1Options)
    .filter((value): value is FuseV1Options => typeof value === 'number')
    .map((fuse) => STOCK_FUSES[fuse]);
  const executable = path.join(dir, 'electron');
  writeFileSync(executable, Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(SENTINEL), Buffer.from([1, wire.length, ...wire])]));
  chmodSync(executable, 0o755);
  writeFileSync(path.join(dir, 'chrome-sandbox'), '');
  writeFileSync(path.join(dir, 'chrome_crashpad_handler'), '');
  writeFileSync(path.join(dir, 'LICENSE'), 'Electron is MIT licensed.\n');
  writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<!doctype html><title>Chromium licenses</title>\n');
  writeFileSync(path.join(dir, 'version'), version);
  writeFileSync(path.join(dir, 'icudtl.dat'), '');
  writeFileSync(path.join(dir, 'resources.pak'), '');
  writeFileSync(path.join(dir, 'locales', 'en-US.pak'), '');
  writeFileSync(path.join(dir, 'resources', 'default_app.asar'), tinyAsar());
  return dir;
}
