import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, loadTemplate, test } from './fixtures.js';
import { batchesDone } from './canvas.js';

/** Any other site the user visits: here, another port on the same machine. */
async function hostileSite(html: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('a page from another local origin cannot end the server, or the run in it, with broken addresses', async ({ app, server, context }) => {
  test.setTimeout(180_000);
  await loadTemplate(app, 'MLP on MNIST');
  // A whole epoch of MNIST: still training while the other page loads and long after.
  await app.getByTestId('epochs').fill('1');
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => batchesDone(app), { timeout: 90_000 }).toBeGreaterThan(0);

  const broken = ['/%', '/%E0%A4%A'];
  const site = await hostileSite(`<!doctype html>${broken.map((p) => `<img src="${server.origin}${p}">`).join('')}`);
  try {
    const hostile = await context.newPage();
    // What became of each image request: its status, or why the browser reports it failed.
    const outcomes = new Map<string, number | string>();
    const path = (url: string) => url.slice(server.origin.length);
    hostile.on('requestfinished', async (req) => {
      if (req.url().startsWith(server.origin)) outcomes.set(path(req.url()), (await req.response())?.status() ?? 'no response');
    });
    hostile.on('requestfailed', (req) => {
      if (req.url().startsWith(server.origin)) outcomes.set(path(req.url()), req.failure()?.errorText ?? 'failed');
    });
    await hostile.goto(site.origin);
    await expect.poll(() => outcomes.size).toBe(broken.length);
    // Both addresses reached the server as written and were answered: a 400, whose text the browser then keeps
    // from the page (ERR_BLOCKED_BY_ORB); a server that died on them leaves ERR_EMPTY_RESPONSE instead.
    for (const p of broken) expect([400, 'net::ERR_BLOCKED_BY_ORB'], p).toContain(outcomes.get(p));
    await hostile.close();
  } finally {
    site.server.close();
  }

  // The run goes on training after the attack, and the server still serves the app.
  const atAttack = await batchesDone(app);
  await expect.poll(() => batchesDone(app), { timeout: 30_000 }).toBeGreaterThan(atAttack);
  await expect(app.getByTestId('training-status')).toHaveText('running');
  const another = await context.newPage();
  await another.goto(server.url);
  await expect(another.getByText('NetCanvas', { exact: true })).toBeVisible();
  await another.close();

  await app.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('stopped', { timeout: 60_000 });
});
