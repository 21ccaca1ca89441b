/**
 * The page the window shows when its renderer is gone: what happened in plain words and a
 * Reload link back to the app, which then offers the recovery copies of unsaved work.
 */

/** Why the page went, as Electron's `render-process-gone` says it, plus 'unresponsive'. */
const WHAT_HAPPENED: Record<string, string> = {
  crashed: 'The NetCanvas window crashed.',
  oom: 'The NetCanvas window ran out of memory and was closed.',
  killed: 'The NetCanvas window was ended by the system or by another program.',
  'abnormal-exit': 'The NetCanvas window stopped unexpectedly.',
  'launch-failed': 'The NetCanvas window could not be started.',
  'integrity-failure': 'The NetCanvas window was stopped because its code failed an integrity check.',
  'memory-eviction': 'The NetCanvas window was closed to free memory for the system.',
  unresponsive: 'The NetCanvas window stopped responding and was stopped.',
};

/** What the page says for `reason`; an unknown one reads as a plain crash. */
export function whatHappened(reason: string | null): string {
  return (reason !== null && WHAT_HAPPENED[reason]) || WHAT_HAPPENED.crashed!;
}

/** The page's address for `reason`, served by the app protocol. */
export function crashPageUrl(origin: string, reason: string): string {
  return `${origin}/crashed.html?reason=${encodeURIComponent(reason)}`;
}

/** No script: the Reload button is a link to the app's own page, which the window may open. */
export function crashPageHtml(reason: string | null): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>NetCanvas stopped</title>
    <style>
      body { font: 15px/1.5 system-ui, sans-serif; color: #1f2933; background: #f5f7fa; display: grid; place-items: center; min-height: 100vh; margin: 0; }
      main { max-width: 32rem; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 2px 12px rgb(0 0 0 / 0.1); }
      h1 { font-size: 1.3rem; margin: 0 0 0.75rem; }
      a.reload { display: inline-block; margin-top: 1rem; padding: 0.5rem 1.25rem; border-radius: 6px; background: #2563eb; color: #fff; text-decoration: none; font-weight: 600; }
    </style>
  </head>
  <body>
    <main>
      <h1>${whatHappened(reason)}</h1>
      <p>Unsaved changes to the network are kept as a recovery copy a few seconds after each edit: reloading offers it back.</p>
      <a class="reload" href="index.html" autofocus>Reload</a>
    </main>
  </body>
</html>
`;
}
