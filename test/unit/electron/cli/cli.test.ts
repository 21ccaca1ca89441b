import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const TEMPLATE = 'templates/mlp-mnist.netcanvas.json';
const KERAS = 'test/fixtures/keras';

function netcanvas(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/netcanvas.js', ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'netcanvas-')), name);
  writeFileSync(file, text);
  return file;
}

describe('netcanvas summary', () => {
  it('prints the model summary as JSON', () => {
    const { code, stdout } = netcanvas('summary', TEMPLATE, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ totalParams: 101_770, trainableParams: 101_770, nonTrainableParams: 0, outputShapes: [[10]], errors: [] });
    expect(summary.layers[2]).toEqual({
      id: 'hidden',
      name: 'hidden',
      type: 'Dense',
      outputShape: [null, 128],
      params: 100_480,
      trainableParams: 100_480,
      nonTrainableParams: 0,
      inputs: ['flatten'],
    });
  });

  it('exits 1 and names the node for a graph with a cycle', () => {
    const project = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
    project.graph.edges.push({ id: 'loop', source: 'output', target: 'hidden' });
    const { code, stdout } = netcanvas('summary', tempFile('loop.netcanvas.json', JSON.stringify(project)), '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout).errors).toContainEqual(expect.objectContaining({ node: 'hidden', code: 'CYCLE' }));
  });

  it('explains a file that is not JSON, without a stack trace', () => {
    const { code, stderr } = netcanvas('summary', tempFile('bad.netcanvas.json', 'this is not json'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/bad\.netcanvas\.json: The file is not valid JSON/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('explains a missing file', () => {
    const { code, stderr } = netcanvas('summary', 'nowhere.netcanvas.json');
    expect(code).toBe(1);
    expect(stderr).toBe('netcanvas: Cannot read nowhere.netcanvas.json: no such file.\n');
  });
});

describe('netcanvas summary of Keras and TensorFlow.js files', () => {
  it('reads Keras 2 model.to_json() output', () => {
    const { code, stdout } = netcanvas('summary', `${KERAS}/keras2-sequential-mlp.json`, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ totalParams: 101_770, trainableParams: 101_770, nonTrainableParams: 0, outputShapes: [[10]], errors: [] });
    expect(summary.layers.map((l: { name: string }) => l.name)).toEqual(['flatten_input', 'flatten', 'dense', 'dropout', 'dense_1']);
  });

  it('reads a TensorFlow.js model.json from the converter', () => {
    const { code, stdout } = netcanvas('summary', `${KERAS}/tfjs-converter-mlp.model.json`, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ totalParams: 321, outputShapes: [[1]], errors: [] });
  });

  it('prints a Keras-like table, with non-trainable params in their own column and what feeds each layer', () => {
    const { code, stdout } = netcanvas('summary', `${KERAS}/keras2-functional-merges.json`);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Model: "image_and_text"');
    expect(lines[2]).toMatch(/^Layer \(type\)\s+Output shape\s+Params\s+Non-trainable\s+Connected to$/);
    expect(lines.find((l) => l.startsWith('batch_normalization (BatchNormalization)'))).toMatch(/\(\?, 28, 28, 16\)\s+64\s+32\s+conv2d$/);
    expect(lines.find((l) => l.startsWith('concatenate (Concatenate)'))).toMatch(/global_average_pooling2d, bidirectional$/);
    expect(stdout).toContain('Total params: 46,138\nTrainable params: 46,106\nNon-trainable params: 32\n');
  });

  it('names every layer NetCanvas lacks and exits 1, without a stack trace', () => {
    const model = JSON.parse(readFileSync(`${KERAS}/keras2-sequential-mlp.json`, 'utf8'));
    model.config.layers[2].class_name = 'Lambda';
    model.config.layers[3].class_name = 'SpecialDropout';
    const { code, stderr } = netcanvas('summary', tempFile('custom.json', JSON.stringify(model)));
    expect(code).toBe(1);
    expect(stderr).toMatch(/custom\.json: This model uses layers NetCanvas does not have yet: Lambda \("dense"; its Python code is not in the file: rebuild that step from NetCanvas layers\), SpecialDropout \("dropout"\)\. Replace them and import again\.\n$/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('netcanvas export', () => {
  const out = (name: string) => path.join(mkdtempSync(path.join(tmpdir(), 'netcanvas-out-')), name);

  it('writes Keras JSON that netcanvas reads back with the same summary', () => {
    const file = out('mlp.keras.json');
    const { code, stdout, stderr } = netcanvas('export', TEMPLATE, '--format', 'keras-json', '--out', file);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(`Wrote Keras JSON (model.to_json) of "MLP on MNIST" to ${file}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ class_name: 'Model', config: { output_layers: [['output', 0, 0]] } });
    const before = JSON.parse(netcanvas('summary', TEMPLATE, '--json').stdout);
    const after = JSON.parse(netcanvas('summary', file, '--json').stdout);
    expect(after).toEqual(before);
  });

  it('writes a TensorFlow.js model.json', () => {
    const file = out('model.json');
    const { code } = netcanvas('export', `${KERAS}/keras3-sequential-convnet.json`, '--format', 'tfjs-json', '--out', file);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json).toMatchObject({ format: 'layers-model', generatedBy: 'NetCanvas', convertedBy: null, weightsManifest: [] });
    expect(JSON.parse(netcanvas('summary', file, '--json').stdout).totalParams).toBe(34_826);
  });

  it('refuses an unknown format', () => {
    const { code, stderr } = netcanvas('export', TEMPLATE, '--format', 'tflite', '--out', out('x.tflite'));
    expect(code).toBe(1);
    expect(stderr).toBe('netcanvas: Unknown export format "tflite": use tfjs, pytorch, onnx, keras, keras-json, tfjs-json.\n');
  });

  it('refuses a network with problems, naming them', () => {
    const project = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
    project.graph.edges.push({ id: 'loop', source: 'output', target: 'hidden' });
    const { code, stderr } = netcanvas('export', tempFile('loop.netcanvas.json', JSON.stringify(project)), '--format', 'keras-json', '--out', out('x.json'));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^netcanvas: The network has \d+ problems? to fix before it can be exported: \[hidden\] This layer is part of a loop/);
  });

  it('explains a path it cannot write', () => {
    const file = path.join(tmpdir(), 'netcanvas-no-such-folder', 'deeper', 'model.json');
    const { code, stderr } = netcanvas('export', TEMPLATE, '--format', 'keras-json', '--out', file);
    expect(code).toBe(1);
    expect(stderr).toBe(`netcanvas: Cannot write ${file}: its folder does not exist.\n`);
  });

  it('asks for --out and shows the usage', () => {
    const { code, stderr } = netcanvas('export', TEMPLATE, '--format', 'keras-json');
    expect(code).toBe(2);
    expect(stderr).toContain('netcanvas: export needs --out <path>: the folder to write (for keras-json and tfjs-json, the file).');
    expect(stderr).toContain('netcanvas export <file> --run <run id> --format tfjs|pytorch|onnx|keras --out <folder> [--checkpoint best|last]');
    expect(stderr).toContain('netcanvas export <file> --format tfjs|pytorch|onnx|keras|keras-json|tfjs-json --out <path>');
  });
});

describe('netcanvas help', () => {
  it('lists every command and the files they read', () => {
    const { code, stdout } = netcanvas('help');
    expect(code).toBe(0);
    for (const command of ['summary <file>', 'export <file>', 'train <file>', 'serve']) expect(stdout).toContain(`netcanvas ${command}`);
    expect(stdout).toContain('a Keras model saved with model.to_json()');
  });
});

describe('netcanvas train', () => {
  it('rejects batch size 0 with a clear message', () => {
    const { code, stderr } = netcanvas('train', TEMPLATE, '--batch-size', '0');
    expect(code).toBe(2);
    expect(stderr).toContain('netcanvas: --batch-size must be at least 1 (got 0).');
  });

  it('trains one epoch on all of MNIST to at least 95% test accuracy, keeping the run beside the project', () => {
    const file = tempFile('mlp.netcanvas.json', readFileSync(TEMPLATE, 'utf8'));
    const { code, stdout, stderr } = netcanvas('train', file, '--epochs', '1', '--check', '--json');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.backend).toBe('wasm');
    expect(result.history).toHaveLength(1);
    expect(Object.keys(result.history[0]).sort()).toEqual(['acc', 'epoch', 'learningRate', 'loss', 'valAcc', 'valLoss']);
    expect(result.history[0].valAcc).toBeGreaterThanOrEqual(0.95);
    expect(result.check).toMatchObject({ metric: 'valAcc', atLeast: 0.95, met: true });
    expect(stderr).toContain('Meets its stated quality: valAcc');
    expect(result.samplesPerSec).toBeGreaterThan(0);
    expect(result.runDir).toBe(path.join(path.dirname(file), 'mlp.runs', result.runId));
    expect(JSON.parse(readFileSync(path.join(result.runDir, 'run.json'), 'utf8'))).toMatchObject({ status: 'completed', checkpoints: { last: 1, best: 1 } });
    expect(stderr).toMatch(/on the wasm backend, \d+ threads? \(60,000 examples\)/);
    expect(stderr).toContain('not used: tensorflow-gpu: not installed');
  });

  it('takes the run settings as options and continues a saved run', () => {
    const file = tempFile('mlp.netcanvas.json', readFileSync(TEMPLATE, 'utf8'));
    const args = ['--max-batches', '3', '--optimizer', 'momentum', '--learning-rate', '0.05', '--schedule', 'step:1:0.5', '--validation-split', '0.1', '--json'];
    const first = netcanvas('train', file, ...args, '--epochs', '2');
    expect(first.code, first.stderr).toBe(0);
    const run = JSON.parse(first.stdout);
    expect(run.history.map((h: { learningRate: number }) => h.learningRate)).toEqual([0.05, 0.025]);
    expect(first.stderr).toContain('(54,000 examples)');
    const resumed = netcanvas('train', file, ...args, '--epochs', '1', '--resume', run.runId);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).history.map((h: { epoch: number }) => h.epoch)).toEqual([1, 2, 3]);
    expect(resumed.stderr).toContain('from epoch 3');
  });

  it('explains an unknown optimizer or schedule', () => {
    expect(netcanvas('train', TEMPLATE, '--optimizer', 'lion').stderr).toContain('--optimizer must be one of sgd, momentum, adam, adamw, rmsprop (got "lion").');
    expect(netcanvas('train', TEMPLATE, '--schedule', 'step:x').stderr).toContain('--schedule must be constant, cosine[:min-factor] or step:<every epochs>:<factor>');
  });
});

/** The CLI run without blocking, so a test can run several at once; killed after `timeout` ms. */
function netcanvasAsync(args: string[], timeout = 90_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/netcanvas.js', ...args], { timeout, killSignal: 'SIGKILL' });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const firstLine = (stderr: string) => stderr.split('\n')[0];
const STACK = /\n\s+at |ERR_PARSE_ARGS|ERR_SOCKET|EADDRINUSE/;

describe('netcanvas command-line mistakes', () => {
  it('takes a negative number after an option as its value, then says which bound it breaks', async () => {
    const [epochs, seed, fraction] = await Promise.all([
      netcanvasAsync(['train', TEMPLATE, '--epochs', '-1']),
      // Any seed is allowed: the run gets as far as reading the (missing) file.
      netcanvasAsync(['train', 'nowhere.netcanvas.json', '--seed', '-3']),
      netcanvasAsync(['train', TEMPLATE, '--seed', '-3.5']),
    ]);
    expect(epochs.code).toBe(2);
    expect(firstLine(epochs.stderr)).toBe('netcanvas: --epochs must be at least 1 (got -1).');
    expect(epochs.stderr).toContain('netcanvas train <file>');
    expect(epochs.stderr).not.toMatch(STACK);
    expect(seed).toEqual({ code: 1, stderr: 'netcanvas: Cannot read nowhere.netcanvas.json: no such file.\n' });
    expect(firstLine(fraction.stderr)).toBe('netcanvas: --seed must be a whole number (got "-3.5").');
  });

  // Many CLI starts at once share the cores with the other test files, hence 120 s for these tests.
  it('checks each numeric train option against its range, naming the option', async () => {
    const cases: Array<[string, string, string]> = [
      ['--epochs', '10001', '--epochs must be at most 10000 (got 10001).'],
      ['--batch-size', '65537', '--batch-size must be at most 65536 (got 65537).'],
      ['--max-batches', '0', '--max-batches must be at least 1 (got 0).'],
      ['--samples-per-epoch', '-5', '--samples-per-epoch must be at least 1 (got -5).'],
      ['--learning-rate', '0', '--learning-rate must be above 0 (got 0).'],
      ['--learning-rate', '11', '--learning-rate must be at most 10 (got 11).'],
      ['--temperature', '-0.5', '--temperature must be above 0 (got -0.5).'],
      ['--temperature', '5.5', '--temperature must be at most 5 (got 5.5).'],
      ['--validation-split', '0.6', '--validation-split must be at most 0.5 (got 0.6).'],
      ['--early-stopping', '0', '--early-stopping must be at least 1 (got 0).'],
    ];
    const results = await Promise.all(cases.map(([option, value]) => netcanvasAsync(['train', TEMPLATE, option, value])));
    results.forEach(({ code, stderr }, i) => {
      expect(code, stderr).toBe(2);
      expect(firstLine(stderr)).toBe(`netcanvas: ${cases[i]![2]}`);
    });
  }, 120_000);

  it('asks for the value of an option given none, at the end or before another option', async () => {
    const [atEnd, beforeOption] = await Promise.all([netcanvasAsync(['train', TEMPLATE, '--epochs']), netcanvasAsync(['train', TEMPLATE, '--epochs', '--json'])]);
    for (const { code, stderr } of [atEnd, beforeOption]) {
      expect(code).toBe(2);
      expect(firstLine(stderr)).toBe('netcanvas: --epochs needs a value, e.g. --epochs 5.');
      expect(stderr).toContain('netcanvas train <file>');
      expect(stderr).not.toMatch(STACK);
    }
  });

  it('explains a command line parseArgs refuses, in every command, without a stack trace', async () => {
    const cases: Array<[string[], string]> = [
      [['summary', TEMPLATE, '--json=yes'], '--json takes no value (got "yes").'],
      [['export', TEMPLATE, '--out', 'x.json', '--format'], '--format needs a value, e.g. --format pytorch.'],
      [['dataset', 'list', 'extra'], 'dataset list takes only options (got "extra").'],
      [['dataset', 'inspect', 'iris', '--target'], '--target needs a value, e.g. --target price.'],
      [['serve', '--port'], '--port needs a value, e.g. --port 5178.'],
      [['bench', '--batches'], '--batches needs a value, e.g. --batches 20.'],
    ];
    const results = await Promise.all(cases.map(([args]) => netcanvasAsync(args)));
    results.forEach(({ code, stderr }, i) => {
      expect(code, stderr).toBe(2);
      expect(firstLine(stderr)).toBe(`netcanvas: ${cases[i]![1]}`);
      expect(stderr).not.toMatch(STACK);
    });
  }, 120_000);

  it('suggests the option or command a typo was meant to be, and only when one is close', async () => {
    const [option, command, datasetOption, far] = await Promise.all([
      netcanvasAsync(['train', TEMPLATE, '--epoch', '3']),
      netcanvasAsync(['trian', TEMPLATE]),
      netcanvasAsync(['dataset', 'inspect', 'iris', '--kinds', 'csv']),
      netcanvasAsync(['train', TEMPLATE, '--zzz']),
    ]);
    expect(option.code).toBe(2);
    expect(firstLine(option.stderr)).toBe('netcanvas: Unknown option --epoch. Did you mean --epochs?');
    expect(command.code).toBe(2);
    expect(firstLine(command.stderr)).toBe('netcanvas: Unknown command "trian". Did you mean train?');
    expect(firstLine(datasetOption.stderr)).toBe('netcanvas: Unknown option --kinds. Did you mean --kind?');
    expect(firstLine(far.stderr)).toBe('netcanvas: Unknown option --zzz.');
  });

  it('refuses a port outside 0 to 65535', () => {
    const { code, stderr } = netcanvas('serve', '--port', '99999');
    expect(code).toBe(2);
    expect(firstLine(stderr)).toBe('netcanvas: --port must be a whole number from 0 to 65535 (got 99999).');
    expect(stderr).not.toMatch(STACK);
  });

  it('explains a port already in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as AddressInfo).port;
      // The time limit kills serve should it start after all, since it would wait for Ctrl-C.
      const { code, stderr } = await netcanvasAsync(['serve', '--port', String(port)], 20_000);
      expect(stderr).toBe(`netcanvas: Port ${port} is already in use (is NetCanvas already running?). Pick another with --port N, or --port 0 for any free port.\n`);
      expect(code).toBe(1);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
