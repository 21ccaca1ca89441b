// Reads an ASAR archive's table of contents: a Chromium pickle holding the header's size, then
// the header, a JSON tree of folders and files (each with its size, offset, and whether it was
// left outside the archive in app.asar.unpacked).
import { closeSync, openSync, readSync } from 'node:fs';

interface AsarFile {
  size: number;
  offset?: string;
  unpacked?: boolean;
}
interface AsarFolder {
  files: Record<string, AsarFolder | AsarFile>;
}

export interface AsarEntry {
  path: string;
  unpacked: boolean;
}

export interface AsarArchive {
  /** Every file, as a path from the archive's root without a leading slash. */
  files: Map<string, AsarEntry>;
  /** The content of one packed file. */
  read(file: string): Buffer;
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  if (readSync(fd, buffer, 0, length, position) !== length) throw new Error(`The archive ends before byte ${position + length}.`);
  return buffer;
}

export function readAsar(file: string): AsarArchive {
  const fd = openSync(file, 'r');
  try {
    const headerSize = readAt(fd, 8, 0).readUInt32LE(4);
    const header = readAt(fd, headerSize, 8);
    const root = JSON.parse(header.subarray(8, 8 + header.readUInt32LE(4)).toString('utf8')) as AsarFolder;
    const files = new Map<string, AsarEntry & { node: AsarFile }>();
    const walk = (folder: AsarFolder, prefix: string) => {
      for (const [name, node] of Object.entries(folder.files)) {
        const at = prefix + name;
        if ('files' in node) walk(node, `${at}/`);
        else files.set(at, { path: at, unpacked: node.unpacked === true, node });
      }
    };
    walk(root, '');
    return {
      files,
      read: (name) => {
        const entry = files.get(name);
        if (!entry || entry.unpacked || entry.node.offset === undefined) throw new Error(`${name} is not packed in ${file}.`);
        const fd2 = openSync(file, 'r');
        try {
          return readAt(fd2, entry.node.size, 8 + headerSize + Number(entry.node.offset));
        } finally {
          closeSync(fd2);
        }
      },
    };
  } finally {
    closeSync(fd);
  }
}
