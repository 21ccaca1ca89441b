import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseFasterBackend, selectBackend, type BackendSelection } from '../../../../electron/training/tf-backend.js';
import { startWebGpu } from '../../../../electron/training/webgpu.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const fromAuto: BackendSelection = { name: 'wasm', notes: ['tensorflow: not installed'] };

/** A trial that takes `ms[backend]` and records where it ran; it trains 64 samples. */
function sleeper(ms: Record<string, number>, ran: string[]) {
  return async () => {
    ran.push(tf.getBackend());
    await sleep(ms[tf.getBackend()]!);
    return 64;
  };
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

describe('chooseFasterBackend', () => {
  it('keeps wasm when it is faster, after a warm-up, and says how much slower cpu was', async () => {
    const ran: string[] = [];
    const chosen = await chooseFasterBackend(fromAuto, sleeper({ wasm: 5, cpu: 80 }, ran));
    expect(chosen.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(ran).toEqual(['wasm', 'wasm', 'cpu']);
    expect(chosen.notes[0]).toBe('tensorflow: not installed');
    expect(chosen.notes[1]).toMatch(/^cpu: slower for this network \(\d[\d,]* vs \d[\d,]* samples\/s on wasm\)$/);
    const [slow, fast] = chosen.notes[1]!.match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, '')));
    expect(fast!).toBeGreaterThan(slow! * 3);
  });

  it('trains on a GPU that auto found when it beats wasm and cpu, naming it, and says what it beat', async (context) => {
    const webgpu = await startWebGpu();
    if (webgpu.failure !== null) context.skip(`no WebGPU here: ${webgpu.failure}`);
    const ran: string[] = [];
    const chosen = await chooseFasterBackend({ ...fromAuto, gpu: 'a test GPU' }, sleeper({ webgpu: 5, wasm: 40, cpu: 80 }, ran));
    expect(chosen).toMatchObject({ name: 'webgpu', device: 'a test GPU' });
    expect(chosen).not.toHaveProperty('gpu');
    expect(tf.getBackend()).toBe('webgpu');
    // Each of webgpu and wasm once untimed (shaders, the JIT), then timed.
    expect(ran).toEqual(['webgpu', 'webgpu', 'wasm', 'wasm', 'cpu']);
    expect(chosen.notes).toEqual(['tensorflow: not installed', expect.stringMatching(/^cpu: slower for this network/), expect.stringMatching(/^wasm: slower for this network \(.* on webgpu\)$/)]);
    await tf.setBackend('wasm');
  });

  it('keeps wasm when the GPU auto found is slower for this network, and says so', async (context) => {
    const webgpu = await startWebGpu();
    if (webgpu.failure !== null) context.skip(`no WebGPU here: ${webgpu.failure}`);
    const chosen = await chooseFasterBackend({ ...fromAuto, gpu: 'a test GPU' }, sleeper({ webgpu: 80, wasm: 5, cpu: 40 }, []));
    expect(chosen.name).toBe('wasm');
    expect(chosen).not.toHaveProperty('device');
    expect(chosen.notes).toContainEqual(expect.stringMatching(/^webgpu: slower for this network on a test GPU \(.* on wasm\)$/));
  });

  it('switches to cpu when cpu is faster for this network', async () => {
    const ran: string[] = [];
    const chosen = await chooseFasterBackend(fromAuto, sleeper({ wasm: 80, cpu: 5 }, ran));
    expect(chosen.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(chosen.notes[1]).toMatch(/^wasm: slower for this network \(\d[\d,]* vs \d[\d,]* samples\/s on cpu\)$/);
  });

  it('gives cpu, and the reason, for a network wasm cannot train', async () => {
    const ran: string[] = [];
    const trial = async () => {
      ran.push(tf.getBackend());
      if (tf.getBackend() === 'wasm') throw new Error("Kernel 'Imaginary' not registered for backend 'wasm'\n    at somewhere");
      return 64;
    };
    const chosen = await chooseFasterBackend(fromAuto, trial);
    expect(chosen).toEqual({ name: 'cpu', notes: ['tensorflow: not installed', "wasm: cannot train this network (Kernel 'Imaginary' not registered for backend 'wasm')"] });
    expect(tf.getBackend()).toBe('cpu');
    expect(ran).toEqual(['wasm']);
  });

  it('keeps wasm when the trial fails only on cpu', async () => {
    const trial = async () => {
      if (tf.getBackend() === 'cpu') throw new Error('out of memory');
    };
    const chosen = await chooseFasterBackend(fromAuto, trial);
    expect(chosen.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(chosen.notes[1]).toBe('cpu: cannot train this network (out of memory)');
  });

  it('compares times per trial when the trial does not count samples', async () => {
    const ran: string[] = [];
    const counted = sleeper({ wasm: 60, cpu: 5 }, ran);
    const chosen = await chooseFasterBackend(fromAuto, async () => {
      await counted();
    });
    expect(chosen.name).toBe('cpu');
    expect(chosen.notes[1]).toMatch(/^wasm: slower for this network \(\d[\d,]* vs \d[\d,]* ms per trial on cpu\)$/);
  });

  it('gives the cpu leg a deadline of twice wasm\'s time, and compares a trial cut short there by its samples', async () => {
    const deadlines: { wasm: number[]; cpu: number[] } = { wasm: [], cpu: [] };
    const trial = async (deadline: number) => {
      const backend = tf.getBackend();
      deadlines[backend as 'wasm' | 'cpu'].push(deadline - performance.now());
      // 32 samples a batch; on cpu, 60 ms each and cut off at the deadline after the first.
      let samples = 0;
      for (let batch = 0; batch < 3; batch++) {
        if (performance.now() > deadline) break;
        await sleep(backend === 'wasm' ? 10 : 60);
        samples += 32;
      }
      return samples;
    };
    const chosen = await chooseFasterBackend(fromAuto, trial);
    expect(deadlines.wasm).toEqual([Infinity, Infinity]);
    expect(deadlines.cpu).toHaveLength(1);
    expect(deadlines.cpu[0]!).toBeGreaterThan(40);
    expect(deadlines.cpu[0]!).toBeLessThan(200);
    expect(chosen.name).toBe('wasm');
    const [slow, fast] = chosen.notes[1]!.match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, '')));
    expect(fast! / slow!).toBeGreaterThan(3);
  });

  it('leaves a selection that is not wasm as it is, without running the trial', async () => {
    await tf.setBackend('cpu');
    const ran: string[] = [];
    const selection: BackendSelection = { name: 'cpu', notes: ['wasm: not installed'] };
    expect(await chooseFasterBackend(selection, sleeper({ wasm: 1, cpu: 1 }, ran))).toBe(selection);
    expect(ran).toEqual([]);
  });

  it('times a real convolutional network on both backends without leaking tensors', async () => {
    await tf.setBackend('wasm');
    const trial = async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [10, 10, 2], filters: 4, kernelSize: 3, activation: 'relu' }),
          tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      });
      const optimizer = tf.train.adam(0.01);
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const x = tf.randomNormal([8, 10, 10, 2]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3));
      for (let i = 0; i < 2; i++) await model.trainOnBatch(x, y);
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
      return 16;
    };
    const before = tf.memory().numTensors;
    const chosen = await chooseFasterBackend(fromAuto, trial);
    expect(['wasm', 'cpu']).toContain(chosen.name);
    expect(tf.getBackend()).toBe(chosen.name);
    expect(chosen.notes[1]).toMatch(/^(cpu|wasm): slower for this network \(.* samples\/s on (wasm|cpu)\)$/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
