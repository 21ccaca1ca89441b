import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareInput } from '../../../../electron/insight/inputs.js';
import { predict, topClasses } from '../../../../electron/insight/predict.js';
import type { Session } from '../../../../electron/insight/session.js';
import { DataAccess } from '../../../../electron/data/access.js';
import type { ModelInput, Prediction } from '../../../../shared/api/insight.js';
import { closeSession, trainedSession } from './trained.js';

const access = new DataAccess();

async function ask(session: Session, input: ModelInput): Promise<Prediction> {
  const prepared = await prepareInput(session, input, access);
  try {
    return predict(session, prepared);
  } finally {
    prepared.tensor.dispose();
  }
}

const bytes = (b64: string) => Uint8Array.from(Buffer.from(b64, 'base64'));
const meanSquare = (a: Uint8Array, b: Uint8Array) => a.reduce((sum, v, i) => sum + ((v - b[i]!) / 255) ** 2, 0) / a.length;

describe('predict: a softmax classifier (the MLP on MNIST, trained briefly)', () => {
  let session: Session;
  beforeAll(async () => {
    session = await trainedSession('mlp-mnist', { batches: 60, backend: 'wasm' });
  }, 60_000);
  afterAll(() => closeSession(session));

  it('ranks the classes most probable first, names them, and agrees with the label on most test examples', async () => {
    let right = 0;
    for (let index = 0; index < 20; index++) {
      const answer = await ask(session, { kind: 'example', index });
      expect(answer.top).toHaveLength(10);
      const probabilities = answer.top!.map((t) => t.probability);
      expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(answer.top!.map((t) => t.class)).toEqual(answer.top!.map((t) => session.info.classes![t.index]));
      expect(answer.truth).toBe(session.info.classes![session.splits.test.labels![index]!]);
      expect(answer.seen).toMatchObject({ count: 1, height: 28, width: 28, channels: 1 });
      if (answer.top![0]!.class === answer.truth) right++;
    }
    expect(right).toBeGreaterThanOrEqual(14);
  });
});

describe('predict: a single sigmoid output, as two classes', () => {
  let session: Session;
  beforeAll(async () => {
    session = await trainedSession('mlp-spirals', {
      batches: 5,
      backend: 'wasm',
      config: { loss: 'binaryCrossentropy' },
      edit: (project) => {
        const out = project.graph.nodes.at(-1)!;
        out.params = { ...out.params, units: 1, activation: 'sigmoid' };
        return project;
      },
    });
  }, 30_000);
  afterAll(() => closeSession(session));

  it("gives the output as the second class's probability and its complement as the first's", async () => {
    const prepared = await prepareInput(session, { kind: 'example', index: 3 }, access);
    const p = tf.tidy(() => (session.model.predict(prepared.tensor) as tf.Tensor).dataSync()[0]!);
    const answer = predict(session, prepared);
    prepared.tensor.dispose();
    const [a, b] = session.info.classes!;
    expect(answer.top).toHaveLength(2);
    expect(Object.fromEntries(answer.top!.map((t) => [t.class, t.probability]))).toEqual({ [b!]: expect.closeTo(p, 6), [a!]: expect.closeTo(1 - p, 6) });
    expect(answer.top![0]!.probability).toBeGreaterThanOrEqual(0.5);
  });

  it('ranks and cuts any list of probabilities', () => {
    expect(topClasses([0.1, 0.6, 0.3], ['x', 'y', 'z'], 2)).toEqual([
      { class: 'y', index: 1, probability: 0.6 },
      { class: 'z', index: 2, probability: 0.3 },
    ]);
    expect(topClasses(Array.from({ length: 30 }, (_, i) => i / 435), null)).toHaveLength(10);
  });
});

describe('predict: a regression, answered in the target’s own units', () => {
  let session: Session;
  beforeAll(async () => {
    session = await trainedSession('mlp-boston-housing', { batches: 200, backend: 'wasm' });
  }, 30_000);
  afterAll(() => closeSession(session));

  it('is near the true price of test houses (in $1000s), not near the standardized scale the network learned in', async () => {
    const errors: number[] = [];
    for (let index = 0; index < 20; index++) {
      const answer = await ask(session, { kind: 'example', index });
      expect(answer.value).toHaveLength(1);
      expect(answer.top).toBeUndefined();
      errors.push(Math.abs(answer.value![0]! - Number(answer.truth)));
    }
    // Prices run from 5 to 50 with a mean near 22: answers left standardized would miss by about 22.
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(8);
  });

  it('answers a row typed into the form, in the same units', async () => {
    const typical = Object.fromEntries(session.info.fields.map((f) => [f.name, f.typical]));
    const answer = await ask(session, { kind: 'row', values: typical });
    expect(answer.value![0]).toBeGreaterThan(10);
    expect(answer.value![0]).toBeLessThan(40);
  });
});

describe('predict: an autoencoder’s reconstruction', () => {
  let session: Session;
  beforeAll(async () => {
    session = await trainedSession('autoencoder-mnist', { batches: 60, backend: 'wasm' });
  }, 60_000);
  afterAll(() => closeSession(session));

  it('is a picture like its own input more than like another digit', async () => {
    let own = 0;
    let other = 0;
    for (let index = 0; index < 10; index++) {
      const answer = await ask(session, { kind: 'example', index });
      const next = await ask(session, { kind: 'example', index: index + 10 });
      expect(answer.image).toMatchObject({ count: 1, height: 28, width: 28, channels: 1 });
      const image = bytes(answer.image!.pixels);
      expect(image).toHaveLength(28 * 28);
      own += meanSquare(image, bytes(answer.seen!.pixels));
      other += meanSquare(image, bytes(next.seen!.pixels));
    }
    expect(own).toBeLessThan(other * 0.8);
  });
});
