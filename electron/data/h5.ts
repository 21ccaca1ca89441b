import h5wasm, { type File as H5File } from 'h5wasm';

/**
 * HDF5 files (Keras's .h5 weights) held in memory: h5wasm's browser build keeps its files in
 * Emscripten's in-memory file system, so opening bytes or writing a new file touches no disk,
 * in the Trainer, the Backend and tests alike. Each file gets its own name there and is
 * removed once closed.
 */

export type { H5File };

export interface OpenedH5 {
  /** The root group of the file, read-only. */
  file: H5File;
  /** Closes the file and frees its bytes; the file may not be used after. */
  close(): void;
}

let counter = 0;

function memoryPath(): string {
  counter += 1;
  return `/netcanvas-${process.pid}-${counter}.h5`;
}

async function fileSystem() {
  const module = await h5wasm.ready;
  return module.FS;
}

/** HDF5's signature, at the start of the file or of a user block 512, 1024, 2048… bytes long. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function hasSignature(bytes: Uint8Array): boolean {
  for (let at = 0; at + SIGNATURE.length <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

/** An HDF5 file's bytes, opened for reading. Bytes that are not HDF5 throw, saying so. */
export async function openH5(bytes: Uint8Array, source = 'the file'): Promise<OpenedH5> {
  // h5wasm does not throw on bytes that are not HDF5: it prints HDF5's errors and gives a file that fails later.
  if (!hasSignature(bytes)) throw new Error(`${source} is not an HDF5 file (it does not have HDF5's signature).`);
  const fs = await fileSystem();
  const path = memoryPath();
  // Emscripten's in-memory file system: nothing reaches the disk.
  // eslint-disable-next-line no-restricted-syntax
  fs.writeFile(path, bytes);
  let file: H5File;
  try {
    file = new h5wasm.File(path, 'r');
  } catch (err) {
    fs.unlink(path);
    throw new Error(`${source} is not an HDF5 file (${(err as Error).message}).`);
  }
  if (file.file_id < 0n) {
    fs.unlink(path);
    throw new Error(`${source} is damaged: HDF5 cannot open it.`);
  }
  let open = true;
  return {
    file,
    close() {
      if (!open) return;
      open = false;
      // A damaged file may fail to close; its bytes are removed all the same.
      try {
        file.close();
      } finally {
        fs.unlink(path);
      }
    },
  };
}

/**
 * A new HDF5 file built by `write`, as bytes. h5wasm reports some failures only on the
 * console, so `write` should read back what it depends on; an exception it throws is passed on.
 */
export async function writeH5(write: (file: H5File) => void): Promise<Uint8Array> {
  const fs = await fileSystem();
  const path = memoryPath();
  const file = new h5wasm.File(path, 'w');
  try {
    write(file);
  } catch (err) {
    file.close();
    fs.unlink(path);
    throw err;
  }
  file.close();
  try {
    return Uint8Array.from(fs.readFile(path));
  } finally {
    fs.unlink(path);
  }
}
