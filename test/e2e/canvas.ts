import type { Locator, Page } from '@playwright/test';

/** Layer nodes on the canvas of one type, in the order they were added. */
export function layer(page: Page, type: string): Locator {
  return page.locator('.react-flow__node').filter({ has: page.locator('.layer-type').getByText(type, { exact: true }) });
}

export async function drop(page: Page, type: string, x: number, y: number): Promise<void> {
  const canvas = page.getByTestId('canvas');
  await page.getByTestId(`palette-${type}`).dragTo(canvas, { targetPosition: { x, y } });
}

async function handleCenter(node: Locator, kind: 'source' | 'target', handle?: string): Promise<{ x: number; y: number }> {
  const selector = handle ? `.react-flow__handle.${kind}[data-handleid="${handle}"]` : `.react-flow__handle.${kind}`;
  const box = await node.locator(selector).first().boundingBox();
  if (!box) throw new Error(`no ${kind} handle ${handle ?? ''} on the node`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Drags a connection from one node's output to another's input, as a person does. Returns
 * the text of the problems shown on `watch` in the first animation frame after the mouse is
 * released (null when there are none), to prove feedback arrives within one frame.
 */
export async function connect(page: Page, from: Locator, to: Locator, options: { watch?: Locator; targetHandle?: string } = {}): Promise<string | null> {
  const source = await handleCenter(from, 'source');
  const target = await handleCenter(to, 'target', options.targetHandle);
  await page.mouse.move(source.x, source.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 10 });
  const watchId = options.watch ? await options.watch.locator('.layer-node').getAttribute('data-testid') : null;
  await page.evaluate((testId) => {
    // Runs in the page; the test build has no DOM typings, so name what it uses.
    const page = globalThis as unknown as {
      addEventListener(type: string, listener: () => void, options: object): void;
      requestAnimationFrame(callback: () => void): void;
      document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
      nextFrameProblems?: Promise<string | null>;
    };
    page.nextFrameProblems = new Promise((resolve) => {
      page.addEventListener(
        'pointerup',
        () =>
          page.requestAnimationFrame(() => {
            const alerts = testId ? Array.from(page.document.querySelectorAll(`[data-testid="${testId}"] [role="alert"]`)) : [];
            resolve(alerts.length ? alerts.map((a) => a.textContent).join(' | ') : null);
          }),
        { once: true, capture: true },
      );
    });
  }, watchId);
  await page.mouse.up();
  return page.evaluate(() => (globalThis as unknown as { nextFrameProblems: Promise<string | null> }).nextFrameProblems);
}

/** Batches trained so far, read off the progress line as a person would: "Epoch 1/2 · batch 37/938". */
export async function batchesDone(page: Page): Promise<number> {
  const text = (await page.getByTestId('progress-text').textContent()) ?? '';
  const match = /Epoch (\d+)\/\d+.*?batch (\d+)\/(\d+)/.exec(text);
  if (!match) return 0;
  const [, epoch, batch, perEpoch] = match.map(Number) as [number, number, number, number];
  return (epoch - 1) * perEpoch + batch;
}
