/**
 * How smoothly the canvas moves with 300 layers on it, in a real headless Chromium against
 * `netcanvas serve`: the network of bench/canvas-layout.ts, arranged, is saved to the
 * server's projects folder and opened through Open, as a user would. Then, at the view it
 * opens with (the whole network, or a large one's readable part; every layer is in the page
 * either way), a layer is dragged across the canvas, the empty canvas is panned and the
 * wheel zooms one way and back, each for two seconds while a requestAnimationFrame loop in
 * the page records every frame. Once plain, once with every unit in a block and the units in
 * stages (all expanded, their frames drawn). Prints figures and never fails on them; the
 * target is 55 frames a second or more.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { autoLayout } from '../shared/graph/auto-layout.js';
import { CURRENT_SCHEMA_VERSION } from '../shared/project/schema.js';
import type { Graph } from '../shared/graph/types.js';
import { branchingNetwork, drawnSizes, shapeLabels } from '../test/fixtures/large-graphs.js';
import { chromiumLaunchOptions } from '../test/e2e/browser.js';
import { startServe, tempDirs } from '../test/e2e/fixtures.js';

const LAYERS = 300;
const VIEWPORT = { width: 1440, height: 900 };
const TARGET_FPS = 55;
/**
 * Pointer steps per motion and the time they take: a steady two-second drag, one step per
 * 60 Hz frame, as a mouse (125 Hz or more, merged per frame by the browser) gives every frame
 * a move. Fewer steps would leave frames with nothing to draw and flatter the figures.
 */
const STEPS = 120;
const MOTION_MS = 2000;
/** Wheel travel per step: the canvas zooms by 2^(0.002 × travel), so half the steps zoom about 5×. */
const WHEEL_STEP = 20;
/** The canvas's zoom limits (its minZoom, and React Flow's default maxZoom). */
const ZOOM_RANGE = { min: 0.1, max: 2 };

interface Figures {
  /** Frames drawn per second over the motion: its frames over its time. */
  meanFps: number;
  medianFps: number;
  p5Fps: number;
  longestMs: number;
}

interface Point {
  x: number;
  y: number;
}

/** The page's side: a frame recorder on requestAnimationFrame, started and stopped from here. */
interface FrameRecorder {
  start(): void;
  stop(): number[];
}
type PageGlobals = typeof globalThis & { canvasFrames?: FrameRecorder };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Frame rates from the frames' start times: per-frame intervals, so one long frame shows. */
function figures(times: readonly number[]): Figures {
  const intervals = times.slice(1).map((t, i) => t - times[i]!);
  if (intervals.length < 10) throw new Error(`The page drew only ${times.length} frames in a ${MOTION_MS / 1000} s motion; requestAnimationFrame is not running.`);
  const sorted = [...intervals].sort((a, b) => a - b);
  const meanFps = (1000 * intervals.length) / (times[times.length - 1]! - times[0]!);
  return { meanFps, medianFps: 1000 / percentile(sorted, 0.5), p5Fps: 1000 / percentile(sorted, 0.95), longestMs: sorted[sorted.length - 1]! };
}

/** The network with every layer placed by Arrange the network, as a project file holds it. */
async function projectFile(name: string, graph: Graph): Promise<string> {
  const laid = await autoLayout(graph, { sizeOf: drawnSizes(graph), edgeLabelOf: shapeLabels(graph) });
  return JSON.stringify({ schemaVersion: CURRENT_SCHEMA_VERSION, name, graph: laid, training: { dataset: 'mnist' } });
}

/**
 * Records the start time of every frame the page draws, between start() and stop(). Source
 * text, not a function: tsx names inner functions with a helper the page does not have.
 */
const RECORDER = `(() => {
  let times = null;
  const tick = (time) => {
    if (times) times.push(time);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  globalThis.canvasFrames = {
    start: () => { times = []; },
    stop: () => { const recorded = times ?? []; times = null; return recorded; },
  };
})()`;

/** Runs one motion while the page records its frames. */
async function recordFrames(page: Page, motion: () => Promise<void>): Promise<Figures> {
  await page.evaluate(() => (globalThis as PageGlobals).canvasFrames!.start());
  await motion();
  // The frame that shows the last step.
  await sleep(50);
  return figures(await page.evaluate(() => (globalThis as PageGlobals).canvasFrames!.stop()));
}

/**
 * Steps 1 to STEPS spread evenly over the motion's time. Each step waits for the page to take
 * its event, so a slow page makes the motion lag, as a hand's would, never queue up.
 */
async function paced(step: (i: number) => Promise<void>): Promise<void> {
  const start = Date.now();
  for (let i = 1; i <= STEPS; i++) {
    await step(i);
    const wait = start + (MOTION_MS * i) / STEPS - Date.now();
    if (wait > 0) await sleep(wait);
  }
}

async function drag(page: Page, from: Point, to: Point): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await paced((i) => page.mouse.move(from.x + ((to.x - from.x) * i) / STEPS, from.y + ((to.y - from.y) * i) / STEPS));
  await page.mouse.up();
}

/** The canvas's pan and zoom as React Flow draws it. */
const viewTransform = (page: Page) => page.locator('.react-flow__viewport').getAttribute('style');
const zoomOf = (transform: string | null) => Number(/scale\(([\d.]+)\)/.exec(transform ?? '')?.[1] ?? NaN);

/** The middle of the layer nearest the canvas's middle; with blocks, one inside a frame, which follows it. */
async function layerToDrag(page: Page): Promise<{ id: string; at: Point }> {
  const layers = await page.locator('.react-flow__node-layer').evaluateAll((elements) =>
    elements.map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute('data-id')!, x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }),
  );
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const middle = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
  const distance = (p: Point) => Math.hypot(p.x - middle.x, p.y - middle.y);
  const nearest = layers.sort((a, b) => distance(a) - distance(b))[0];
  if (!nearest) throw new Error('The canvas drew no layers.');
  return { id: nearest.id, at: { x: nearest.x, y: nearest.y } };
}

/** A point on the empty canvas itself (no layer, frame, connection or control over it), far enough in to pan from. */
async function emptySpot(page: Page): Promise<Point> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const spot = await page.evaluate((box) => {
    const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { classList: { contains(name: string): boolean } } | null } }).document;
    for (let row = 0.5; row < 0.95; row += 0.05) {
      for (const side of [-1, 1]) {
        const y = box.y + box.height * (side < 0 ? 1 - row : row);
        for (let column = 0.3; column <= 0.7; column += 0.05) {
          const x = box.x + box.width * column;
          if (doc.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
        }
      }
    }
    return null;
  }, canvas);
  if (!spot) throw new Error('Found no empty canvas to pan from.');
  return spot;
}

/** Opens a project through Open; says how many of its layers and block frames the canvas draws (a big one draws those in view). */
async function openProject(page: Page, url: string, fileName: string, expectedLayers: number): Promise<{ frames: number; drawn: number }> {
  // A start screen over the canvas, where the app opens on one, is put aside as a user would.
  await page.addLocatorHandler(page.getByRole('dialog', { name: 'Start' }), (start) => start.press('Escape'));
  await page.goto(url);
  await page.locator('.toolbar [data-command="file.open"]').click();
  await page.getByTestId('open-dialog').getByTestId('project-row').filter({ hasText: fileName }).click();
  await page.getByTestId('open-dialog').waitFor({ state: 'detached' });
  // The model's summary counts every layer, drawn or not: it says the whole network is open.
  await page.getByTestId('project-name').filter({ hasText: `${expectedLayers} layers` }).waitFor({ timeout: 60_000 });
  const layers = page.locator('.react-flow__node-layer');
  const deadline = Date.now() + 60_000;
  while ((await layers.count()) === 0) {
    if (Date.now() > deadline) throw new Error(`The canvas drew none of the ${expectedLayers} layers within 60 s of opening ${fileName}.`);
    await sleep(200);
  }
  // Fitted once measured; then a moment for the view to settle.
  await sleep(1000);
  return { frames: await page.locator('.react-flow__node-block').count(), drawn: await layers.count() };
}

/** A layer dragged across the canvas, then the empty canvas panned, each recorded; each checked to have moved. */
async function dragAndPan(page: Page): Promise<{ dragged: Figures; panned: Figures }> {
    const layer = await layerToDrag(page);
    const node = page.locator(`.react-flow__node[data-id="${layer.id}"]`);
    const before = await node.boundingBox();
    const dragged = await recordFrames(page, () => drag(page, layer.at, { x: layer.at.x + 300, y: layer.at.y - 150 }));
    const after = await node.boundingBox();
    if (!before || !after || Math.hypot(after.x - before.x, after.y - before.y) < 100) throw new Error(`Dragging layer ${layer.id} did not move it.`);

    const from = await emptySpot(page);
    const viewBefore = await viewTransform(page);
    const panned = await recordFrames(page, () => drag(page, from, { x: from.x - 400, y: from.y + (from.y > VIEWPORT.height / 2 ? -150 : 150) }));
    if ((await viewTransform(page)) === viewBefore) throw new Error('Dragging the empty canvas did not pan it.');

    return { dragged, panned };
}

async function measure(browser: Browser, url: string, fileName: string, expectedLayers: number) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  try {
    const { frames: blockFrames, drawn } = await openProject(page, url, fileName, expectedLayers);
    const zoom = zoomOf(await viewTransform(page));
    await page.evaluate(RECORDER);
    const idle = await recordFrames(page, () => sleep(MOTION_MS / 2));

    const { dragged, panned } = await dragAndPan(page);

    // The wheel, around the middle of the canvas: half the motion towards whichever end of the zoom has more room, half back.
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    await page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    const inwards = Math.log2(ZOOM_RANGE.max / zoom) >= Math.log2(zoom / ZOOM_RANGE.min);
    let turnedAt = zoom;
    const zoomed = await recordFrames(page, () =>
      paced(async (i) => {
        await page.mouse.wheel(0, (i <= STEPS / 2) === inwards ? -WHEEL_STEP : WHEEL_STEP);
        if (i === STEPS / 2) turnedAt = zoomOf(await viewTransform(page));
      }),
    );
    if (!(Math.abs(Math.log2(turnedAt / zoom)) > 1)) throw new Error(`The wheel did not zoom the canvas (from ${zoom} to ${turnedAt}).`);

    // Then the whole network in view: zoomed out as far as the canvas goes, every layer drawn.
    for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 200);
    await sleep(500);
    const far = { zoom: zoomOf(await viewTransform(page)), drawn: await page.locator('.react-flow__node-layer').count() };
    const whole = await dragAndPan(page);
    return { blockFrames, drawn, zoom, turnedAt, far, rows: { idle, dragged, panned, zoomed, farDragged: whole.dragged, farPanned: whole.panned } };
  } finally {
    await context.close();
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
if (!existsSync(path.join('dist', 'renderer', 'index.html'))) {
  console.log('Building the renderer (dist/renderer)…');
  const built = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (built.status !== 0) {
    console.error('Building the renderer failed; the canvas benchmark needs dist/renderer.');
    process.exit(1);
  }
}

const dirs = tempDirs();
const networks = [
  { label: 'plain', fileName: 'canvas-300-plain.netcanvas.json', graph: branchingNetwork(LAYERS) },
  { label: 'in blocks and stages', fileName: 'canvas-300-blocks.netcanvas.json', graph: branchingNetwork(LAYERS, { blocks: true, stages: true }) },
];
for (const network of networks) {
  writeFileSync(path.join(dirs.projectsDir, network.fileName), await projectFile(`${network.graph.nodes.length} layers ${network.label}`, network.graph));
}

let server: Awaited<ReturnType<typeof startServe>> | null = null;
let browser: Browser | null = null;
let failed = false;
try {
  server = await startServe({ dirs });
  browser = await chromium.launch(chromiumLaunchOptions());
  const fps = (value: number) => value.toFixed(0).padStart(4);
  console.log(`Canvas frame rate, ${VIEWPORT.width}×${VIEWPORT.height}, headless Chromium ${browser.version()}, each motion ${MOTION_MS / 1000} s of ${STEPS} steps (target: ${TARGET_FPS} fps or more):`);
  console.log(`  ${'network'.padEnd(36)} ${'motion'.padEnd(11)} mean median  p5  longest`);
  for (const network of networks) {
    const result = await measure(browser, server.info.url, network.fileName, network.graph.nodes.length);
    const labels = [
      `${network.graph.nodes.length} layers ${network.label}`,
      `  ${network.graph.edges.length} connections, ${result.blockFrames} block frames`,
      `  opened at zoom ${result.zoom.toFixed(2)}, ${result.drawn} layers in view,`,
      `  the wheel to ${result.turnedAt.toFixed(2)} and back;`,
      `  zoomed out to ${result.far.zoom.toFixed(2)},`,
      `  ${result.far.drawn} layers in view`,
    ];
    for (const [i, [motion, f]] of ([
      ['at rest', result.rows.idle],
      ['drag layer', result.rows.dragged],
      ['pan', result.rows.panned],
      ['wheel zoom', result.rows.zoomed],
      ['drag layer', result.rows.farDragged],
      ['pan', result.rows.farPanned],
    ] as const).entries()) {
      const verdict = i === 0 ? 'the frame clock' : f.meanFps >= TARGET_FPS ? 'meets' : 'below';
      console.log(`  ${(labels[i] ?? '').padEnd(36)} ${motion.padEnd(11)} ${fps(f.meanFps)} ${fps(f.medianFps)}   ${fps(f.p5Fps)} ${f.longestMs.toFixed(0).padStart(5)} ms  ${verdict}`);
    }
  }
  console.log('  mean: frames drawn per second of the motion, judged against the target; median and p5 (the slowest 5 %) from each frame\'s own time.');
  console.log('  At rest the page draws at its frame clock\'s rate (60 Hz in headless Chromium, as on a 60 Hz display); no figure goes above it.');
  console.log('  Headless Chromium on a software renderer and shared cores understates what a desktop GPU draws; read the rows against each other.');
} catch (error) {
  failed = true;
  console.error('The canvas frame-rate benchmark could not run:', error instanceof Error ? error.message : error);
} finally {
  await browser?.close();
  server?.child.kill('SIGTERM');
  rmSync(path.dirname(dirs.projectsDir), { recursive: true, force: true });
}
if (failed) process.exit(1);
