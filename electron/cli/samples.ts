import path from 'node:path';
import type { Samples } from '../../shared/api/contract.js';
import { writeFileAtomic } from '../files/atomic.js';
import { gridPng } from '../files/png.js';

/**
 * What `netcanvas train` does with samples: generated text is printed; image grids (GAN
 * samples, reconstructions) are written as PNG files when `--samples-dir` is given.
 */
export class SampleWriter {
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string | null) {}

  /** Lines to print for these samples. */
  write(epoch: number, samples: Samples): string[] {
    const name = (suffix: string) => path.join(this.dir!, `epoch-${String(epoch).padStart(3, '0')}${suffix}.png`);
    switch (samples.kind) {
      case 'text':
        return [`Sample after epoch ${epoch} (temperature ${samples.temperature}): "${samples.seed}" → ${JSON.stringify(samples.text)}`];
      case 'images':
        if (!this.dir) return [];
        this.save(name(''), gridPng(samples.images, 8, 3));
        return [`Samples of epoch ${epoch}: ${name('')}`];
      case 'reconstructions':
        if (!this.dir) return [];
        this.save(name('-originals'), gridPng(samples.originals, 8, 3));
        this.save(name('-reconstructions'), gridPng(samples.reconstructions, 8, 3));
        return [`Reconstructions of epoch ${epoch}: ${name('-reconstructions')}`];
    }
  }

  flush(): Promise<void> {
    return this.pending;
  }

  private save(file: string, png: Buffer): void {
    this.pending = this.pending.then(() => writeFileAtomic(file, png));
  }
}
