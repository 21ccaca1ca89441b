/** A one-line progress bar on stderr; on a non-terminal it prints a plain line now and then. */
export class ProgressBar {
  private lastPlain = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(fraction: number, text: string): void {
    if (this.stream.isTTY) {
      const width = 24;
      const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\x1b[K`);
      this.drawn = true;
    } else if (Date.now() - this.lastPlain > 2000) {
      this.lastPlain = Date.now();
      this.stream.write(`${Math.round(fraction * 100)}% ${text}\n`);
    }
  }

  line(text: string): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
    this.stream.write(`${text}\n`);
  }
}
