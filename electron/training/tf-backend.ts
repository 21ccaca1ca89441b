import * as tf from '@tensorflow/tfjs';
import { registerCpuKernelFixes, registerWasmGradientKernels } from './wasm-gradients.js';
import { startWebGpu } from './webgpu.js';
import type { BackendChoice, BackendName } from '../../shared/api/contract.js';

/**
 * The one module that knows which tfjs backend runs. Preference: native TensorFlow with
 * CUDA, native TensorFlow on the CPU, then the fastest of WebGPU on a hardware GPU,
 * WebAssembly and plain JavaScript, measured on the network itself.
 */
export interface BackendSelection {
  name: BackendName;
  /** Why each faster backend was not used. */
  notes: string[];
  /** The GPU it trains on (WebGPU's adapter). */
  device?: string;
  /** A hardware GPU that `auto` found, for `chooseFasterBackend` to measure against wasm. */
  gpu?: string;
}

/** WebGPU's adapter as the backend line names it. */
const adapterName = (adapter: { name: string; software: boolean }) => (adapter.software ? `${adapter.name}, rendered in software` : adapter.name);

function reasonOf(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)/.test(message)) {
    return 'not installed';
  }
  const sharedLib = /(lib[\w.+-]+\.so[\w.]*)/.exec(message);
  if (sharedLib) return `library ${sharedLib[1]} not found`;
  return message.split('\n')[0]!.slice(0, 200);
}

async function tryNative(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<string | null> {
  try {
    await import(pkg);
    if (!(await tf.setBackend('tensorflow'))) return 'backend failed to start';
    return null;
  } catch (err) {
    return reasonOf(err);
  }
}

async function tryWasm(): Promise<string | null> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return 'WebAssembly backend failed to start';
    // tfjs 4.22's wasm lacks the gradients of convolutions and embeddings; these fill them in.
    registerWasmGradientKernels();
    return null;
  } catch (err) {
    return reasonOf(err);
  }
}

export async function selectBackend(choice: BackendChoice): Promise<BackendSelection> {
  registerCpuKernelFixes();
  const notes: string[] = [];
  const attempt = async (name: BackendName, start: () => Promise<string | null>): Promise<boolean> => {
    const failure = await start();
    if (failure === null) return true;
    notes.push(`${name}: ${failure}`);
    return false;
  };
  const native = async (): Promise<BackendName | null> => {
    if (await attempt('tensorflow-gpu', () => tryNative('@tensorflow/tfjs-node-gpu'))) return 'tensorflow-gpu';
    if (await attempt('tensorflow', () => tryNative('@tensorflow/tfjs-node'))) return 'tensorflow';
    return null;
  };

  let name: BackendName | null = null;
  let gpu: string | undefined;
  let device: string | undefined;
  switch (choice) {
    case 'auto':
      name = await native();
      if (name) break;
      {
        // WebGPU competes only on a hardware GPU: a software adapter is correct but slower than wasm.
        const webgpu = await startWebGpu('gpu');
        if (webgpu.failure !== null) notes.push(`webgpu: ${webgpu.failure}`);
        else if (webgpu.adapter.software) notes.push(`webgpu: only a software adapter here (${webgpu.adapter.name}), slower than wasm`);
        else gpu = webgpu.adapter.name;
      }
      name = (await attempt('wasm', tryWasm)) ? 'wasm' : null;
      break;
    case 'webgpu': {
      const webgpu = await startWebGpu();
      if (webgpu.failure !== null) throw new Error(`The webgpu backend was asked for but cannot run here (${webgpu.failure}).`);
      if (!(await tf.setBackend('webgpu'))) throw new Error(`The webgpu backend was asked for but did not start on ${webgpu.adapter.name}.`);
      name = 'webgpu';
      device = adapterName(webgpu.adapter);
      break;
    }
    case 'tensorflow':
      name = await native();
      if (!name) throw new Error(`The TensorFlow backend was asked for but cannot run here (${notes.join('; ')}). See the README section "Training on a GPU".`);
      break;
    case 'wasm':
      if (!(await attempt('wasm', tryWasm))) throw new Error(`The wasm backend was asked for but cannot run here (${notes.join('; ')}).`);
      name = 'wasm';
      break;
    case 'cpu':
      break;
    case 'pytorch':
      throw new Error('PyTorch trains in its own engine (electron/pytorch/), not as a tfjs backend.');
  }
  if (name === null) {
    await tf.setBackend('cpu');
    name = 'cpu';
  }
  await tf.ready();
  if (gpu !== undefined && name !== 'wasm') gpu = undefined;
  return { name, notes, ...(device !== undefined ? { device } : {}), ...(gpu !== undefined ? { gpu } : {}) };
}

/** The first line of an error's message: tfjs appends stack-like detail after it. */
const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

/**
 * The gradient of `model`'s outputs' sum with respect to its trainable weights, on `rows`
 * examples of zeros, in training mode; everything it makes is disposed. Throws what tfjs throws
 * where the current backend cannot take it. It tells whether a backend can train a network, and
 * warms a new thread's kernels up.
 */
export function gradientOnZeros(model: tf.LayersModel, rows: number): void {
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (weights.length === 0) return;
  tf.tidy(() => {
    const xs = model.inputs.map((input) => tf.zeros([rows, ...(input.shape.slice(1) as number[])]));
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(xs, { training: true });
      return tf.addN((Array.isArray(out) ? out : [out]).map((o) => tf.sum(o as tf.Tensor))) as tf.Scalar;
    }, weights);
    value.dataSync();
    for (const g of Object.values(grads)) g.dataSync();
  });
}

/**
 * Runs one gradient step of `model` on a batch of zeros on the current backend, to learn
 * whether this backend can train it: a backend may lack a gradient kernel (wasm-gradients.ts
 * adds those NetCanvas's layers need to wasm). Null when it can, else tfjs's reason.
 */
export function gradientProblem(model: tf.LayersModel): string | null {
  try {
    gradientOnZeros(model, 1);
    return null;
  } catch (err) {
    return firstLine(err);
  }
}

interface Timing {
  ms: number;
  /** Samples the trial trained, when it says. */
  samples: number | null;
}

/** A trial: see chooseFasterBackend. */
export type BackendTrial = (deadline: number) => Promise<number | void>;

async function timed(trial: BackendTrial, deadline: number): Promise<Timing> {
  const started = performance.now();
  const samples = await trial(deadline);
  return { ms: Math.max(performance.now() - started, 1e-3), samples: typeof samples === 'number' ? samples : null };
}

/** "212 vs 1,480 samples/s on wasm", or times per trial when the trial does not count samples. */
function comparison(slow: Timing, fast: Timing, fastName: BackendName): string {
  const count = (n: number) => Math.round(n).toLocaleString('en-US');
  if (slow.samples !== null && fast.samples !== null) {
    return `${count((slow.samples * 1000) / slow.ms)} vs ${count((fast.samples * 1000) / fast.ms)} samples/s on ${fastName}`;
  }
  return `${count(slow.ms)} vs ${count(fast.ms)} ms per trial on ${fastName}`;
}

/**
 * For an automatic wasm selection: times `trial` (train a batch; resolve to the samples
 * trained) on wasm after a warm-up and on cpu, and leaves the faster one set.
 * On cpu the trial may stop between batches once performance.now() passes `deadline`: twice
 * wasm's time, by when cpu has lost (a convolution's gradient is 20–50× slower there).
 */
export async function chooseFasterBackend(selection: BackendSelection, trial: BackendTrial): Promise<BackendSelection> {
  if (selection.name !== 'wasm') return selection;
  const { gpu, ...rest } = selection;
  const choose = async (name: 'wasm' | 'cpu' | 'webgpu', notes: string[]): Promise<BackendSelection> => {
    await tf.setBackend(name);
    await tf.ready();
    return { ...rest, name, notes: [...selection.notes, ...notes], ...(name === 'webgpu' ? { device: gpu! } : {}) };
  };
  const speed = (t: Timing) => (t.samples ?? 1) / t.ms;
  // A GPU is measured after its first batch, which compiles its shaders.
  const notes: string[] = [];
  let gpuTiming: Timing | null = null;
  if (gpu !== undefined) {
    try {
      await tf.setBackend('webgpu');
      await trial(Infinity);
      gpuTiming = await timed(trial, Infinity);
    } catch (err) {
      notes.push(`webgpu: cannot train this network on ${gpu} (${firstLine(err).slice(0, 200)})`);
    }
  }
  let best: { name: 'wasm' | 'cpu'; timing: Timing | null; notes: string[] };
  let wasm: Timing | null = null;
  try {
    await tf.setBackend('wasm');
    await trial(Infinity);
    wasm = await timed(trial, Infinity);
  } catch (err) {
    best = { name: 'cpu', timing: null, notes: [`wasm: cannot train this network (${firstLine(err).slice(0, 200)})`] };
  }
  if (wasm) {
    try {
      await tf.setBackend('cpu');
      const cpu = await timed(trial, performance.now() + 2 * wasm.ms);
      best =
        speed(cpu) > speed(wasm)
          ? { name: 'cpu', timing: cpu, notes: [`wasm: slower for this network (${comparison(wasm, cpu, 'cpu')})`] }
          : { name: 'wasm', timing: wasm, notes: [`cpu: slower for this network (${comparison(cpu, wasm, 'wasm')})`] };
    } catch (err) {
      best = { name: 'wasm', timing: wasm, notes: [`cpu: cannot train this network (${firstLine(err).slice(0, 200)})`] };
    }
  }
  best = best!;
  if (gpuTiming && (best.timing === null || speed(gpuTiming) > speed(best.timing))) {
    const beaten = best.timing ? [`${best.name}: slower for this network (${comparison(best.timing, gpuTiming, 'webgpu')})`] : [];
    return choose('webgpu', [...notes, ...best.notes, ...beaten]);
  }
  if (gpuTiming && best.timing) notes.push(`webgpu: slower for this network on ${gpu} (${comparison(gpuTiming, best.timing, best.name)})`);
  return choose(best.name, [...notes, ...best.notes]);
}
