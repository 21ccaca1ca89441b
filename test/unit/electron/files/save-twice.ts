// Spawned by kill-on-save.test.ts: saves a project file twice, the way the Backend saves one.
import { writeFileAtomic } from '../../../../electron/files/atomic.js';
import { project } from '../../../fixtures/graphs.js';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: save-twice.ts FILE');
for (const name of ['first version', 'second version']) {
  await writeFileAtomic(file, `${JSON.stringify({ ...project(), name }, null, 2)}\n`);
}
