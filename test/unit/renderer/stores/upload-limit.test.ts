import { describe, expect, it } from 'vitest';
import { UPLOAD_LIMIT_BYTES, uploadTooBig } from '../../../../renderer/stores/uploadLimit.js';

const MB = 1024 * 1024;

describe('an upload of a model with its weights', () => {
  it('fits in one browser-mode message once base64 has made the weights a third larger', () => {
    // The server takes messages of at most 64 MB (electron/server/server.ts).
    expect((UPLOAD_LIMIT_BYTES * 4) / 3).toBeLessThan(64 * MB);
  });

  it('is sent when the files are within the limit together', () => {
    expect(uploadTooBig([{ name: 'model.json', size: 40_000 }, { name: 'group1-shard1of1.bin', size: 40 * MB }])).toBeNull();
  });

  it('is refused before anything is sent when they are not, naming the files largest first and the limit', () => {
    const message = uploadTooBig([
      { name: 'model.json', size: 200_000 },
      { name: 'group1-shard1of2.bin', size: 30 * MB },
      { name: 'group1-shard2of2.bin', size: 22 * MB },
    ]);
    expect(message).toMatch(/^These files are 52\.2 MB together, more than the 47\.0 MB browser mode takes in one upload: group1-shard1of2\.bin \(30\.0 MB\), group1-shard2of2\.bin \(22\.0 MB\), model\.json \(0\.2 MB\)\./);
    expect(message).toContain('desktop app or the command line');
  });
});
