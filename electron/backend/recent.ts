import { z } from 'zod';
import { writeFileAtomic } from '../files/atomic.js';
import { readCapped } from '../files/read.js';

const MAX_RECENT = 10;
/** Ten paths and times; a bigger file is not the list. */
const MAX_LIST_BYTES = 1024 * 1024;

const recentSchema = z.array(z.object({ path: z.string(), openedAt: z.string() }));
export type RecentEntry = z.infer<typeof recentSchema>[number];

/** The project files opened or saved lately, newest first, kept in `recent.json`. */
export class RecentList {
  /** Additions one after another, so two saves at once cannot drop each other's entry. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** A missing or damaged list reads as empty: it is a convenience, rebuilt by the next open. */
  async entries(): Promise<RecentEntry[]> {
    try {
      const { bytes } = await readCapped(this.file, { limit: MAX_LIST_BYTES });
      const parsed = recentSchema.safeParse(JSON.parse(bytes.toString('utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  async has(file: string): Promise<boolean> {
    return (await this.entries()).some((entry) => entry.path === file);
  }

  add(file: string): Promise<void> {
    this.writing = this.writing.then(async () => {
      const others = (await this.entries()).filter((entry) => entry.path !== file);
      const entries = [{ path: file, openedAt: new Date().toISOString() }, ...others].slice(0, MAX_RECENT);
      // The file itself is saved by now; a state folder that cannot be written must not fail that.
      await writeFileAtomic(this.file, `${JSON.stringify(entries, null, 2)}\n`).catch(() => undefined);
    });
    return this.writing;
  }
}
