import { copyFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, loadTemplate, test } from './fixtures.js';
import { batchesDone } from './canvas.js';

/** What the page records while it is watched; the test build has no DOM typings, so name what is used. */
interface Watch {
  frames: number[];
  longTasks: number[];
  stop: boolean;
}
type WatchedPage = {
  watch?: Watch;
  requestAnimationFrame(callback: (time: number) => void): void;
  PerformanceObserver?: {
    new (callback: (list: { getEntries(): { duration: number }[] }) => void): { observe(options: object): void };
    supportedEntryTypes?: readonly string[];
  };
};

async function chartPoints(page: Page): Promise<number> {
  return Number(await page.getByTestId('metrics-chart').getAttribute('data-points'));
}

/** Frames per second in each whole second of the recording. */
function fpsPerSecond(frames: readonly number[]): number[] {
  if (frames.length < 2) return [0];
  const start = frames[0]!;
  const seconds = Math.floor((frames[frames.length - 1]! - start) / 1000);
  const counts = Array.from({ length: Math.max(1, seconds) }, () => 0);
  for (const t of frames) {
    const second = Math.floor((t - start) / 1000);
    if (second < counts.length) counts[second]!++;
  }
  return counts;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function startLongRun(app: Page): Promise<void> {
  await loadTemplate(app, 'MLP on MNIST');
  // Two full epochs of MNIST: far more batches than the ten seconds watched.
  await app.getByTestId('epochs').fill('2');
  await app.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(app.getByTestId('metrics-chart')).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => batchesDone(app), { timeout: 30_000 }).toBeGreaterThan(0);
}

test('the page keeps 30 frames a second while a run streams its batches into the chart', async ({ app }) => {
  test.setTimeout(150_000);
  await startLongRun(app);
  const pointsBefore = await chartPoints(app);
  const batchesBefore = await batchesDone(app);

  await app.evaluate(() => {
    const page = globalThis as unknown as WatchedPage;
    const watch: Watch = { frames: [], longTasks: [], stop: false };
    page.watch = watch;
    const tick = (time: number) => {
      watch.frames.push(time);
      if (!watch.stop) page.requestAnimationFrame(tick);
    };
    page.requestAnimationFrame(tick);
    if (page.PerformanceObserver?.supportedEntryTypes?.includes('longtask')) {
      new page.PerformanceObserver((list) => watch.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    }
  });
  await app.waitForTimeout(5_000);
  const shot = test.info().outputPath('training-mid-run.png');
  await app.screenshot({ path: shot });
  if (process.env.NETCANVAS_SHOT_DIR) copyFileSync(shot, `${process.env.NETCANVAS_SHOT_DIR}/training-mid-run.png`);
  await app.waitForTimeout(5_000);
  const watch = await app.evaluate(() => {
    const page = globalThis as unknown as WatchedPage;
    page.watch!.stop = true;
    return page.watch!;
  });

  const fps = fpsPerSecond(watch.frames);
  const longest = Math.max(0, ...watch.longTasks);
  test.info().annotations.push({ type: 'fps', description: `per second ${fps.join(', ')}; long tasks ${watch.longTasks.length}, longest ${Math.round(longest)} ms` });
  expect(fps.length).toBeGreaterThanOrEqual(9);
  expect(median(fps)).toBeGreaterThanOrEqual(30);
  // Events streamed the whole time: the run advanced and the chart gained points.
  expect(await batchesDone(app)).toBeGreaterThan(batchesBefore);
  expect(await chartPoints(app)).toBeGreaterThan(pointsBefore);
  // However long the run, the chart draws a bounded number of points.
  const drawn = await app.locator('.series-line path.recharts-line-curve').evaluateAll((paths) =>
    paths.reduce((n, p) => n + ((p.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0), 0),
  );
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThanOrEqual(600);

  await app.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('stopped');
});

test('pause holds the run, resume goes on, stop ends it', async ({ app }) => {
  test.setTimeout(150_000);
  await startLongRun(app);

  await app.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('paused');
  // The batch in flight may still land: read the counter once it has.
  await app.waitForTimeout(500);
  const held = await batchesDone(app);
  await app.waitForTimeout(2_000);
  expect(await batchesDone(app)).toBe(held);
  await expect(app.getByTestId('progress-text')).toContainText('paused');

  await app.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('running');
  await expect.poll(() => batchesDone(app), { timeout: 15_000 }).toBeGreaterThan(held);
  await expect(app.getByTestId('progress-text')).toContainText('left');

  await app.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(app.getByTestId('training-status')).toHaveText('stopped');
  await expect(app.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});
