/**
 * One NetCanvas at a time: a second launch hands the file it was given to the first, which
 * comes to the front and opens it. Files opened from the file manager arrive as arguments on
 * Windows and Linux, and as `open-file` events on a Mac (even before the app is ready).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';

/** The project file named on a command line, resolved against the folder it was run in; null if none. */
export function projectFileIn(argv: readonly string[], workingDirectory: string): string | null {
  // The executable (and in development the app's own script) come first; switches start with '-'.
  // A desktop entry launched with %U (the AppImage's) passes file:// addresses.
  const named = argv.slice(1).filter((arg) => !arg.startsWith('-') && /\.json$/i.test(arg));
  const last = named[named.length - 1];
  if (last === undefined) return null;
  if (/^file:\/\//i.test(last)) {
    try {
      return fileURLToPath(last);
    } catch {
      return null;
    }
  }
  return path.resolve(workingDirectory, last);
}

export interface FileOpening {
  /** Brings the running window to the front (creating one if there is none). */
  focus(): void;
  /** Opens a project file the user chose outside the app. */
  open(file: string): void;
}

/**
 * Takes the single-instance lock; false when another NetCanvas has it, and this one should
 * quit. Files from this launch's command line and from the Mac's `open-file` wait until `ready`
 * says the window can take them.
 */
export function claimSingleInstance(handlers: FileOpening): { acquired: boolean; ready(): void } {
  if (!app.requestSingleInstanceLock()) return { acquired: false, ready: () => undefined };
  let isReady = false;
  const waiting: string[] = [];
  const open = (file: string) => {
    if (isReady) handlers.open(file);
    else waiting.push(file);
  };
  const first = projectFileIn(process.argv, process.cwd());
  if (first) waiting.push(first);
  app.on('second-instance', (_event, argv, workingDirectory) => {
    handlers.focus();
    const file = projectFileIn(argv, workingDirectory);
    if (file) open(file);
  });
  app.on('open-file', (event, file) => {
    event.preventDefault();
    if (isReady) handlers.focus();
    open(path.resolve(file));
  });
  return {
    acquired: true,
    ready: () => {
      isReady = true;
      for (const file of waiting.splice(0)) handlers.open(file);
    },
  };
}
