/**
 * The messages between a child process (a Trainer, an Analyst) and the process that started
 * it: Electron's utilityProcess gives the child `process.parentPort`; a forked child has
 * `process.send` and `process.on('message')`.
 */
interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentChannel<From, To> {
  send(message: From): void;
  onMessage(listener: (message: To) => void): void;
}

export function parentChannel<From, To>(): ParentChannel<From, To> {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  return {
    send(message) {
      if (parentPort) parentPort.postMessage(message);
      else process.send?.(message);
    },
    onMessage(listener) {
      if (parentPort) parentPort.on('message', (e) => listener(e.data as To));
      else process.on('message', (m) => listener(m as To));
    },
  };
}
