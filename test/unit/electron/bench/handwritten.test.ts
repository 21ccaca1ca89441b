import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDWRITTEN } from '../../../../electron/bench/handwritten.js';
import { defaultTemplatesDir, TemplateStore } from '../../../../electron/backend/templates.js';
import { compileGraph } from '../../../../electron/compiler/compile.js';
import { selectBackend } from '../../../../electron/training/tf-backend.js';

const store = new TemplateStore(defaultTemplatesDir());
const templateIds = readdirSync(defaultTemplatesDir())
  .filter((f) => f.endsWith('.netcanvas.json'))
  .map((f) => f.slice(0, -'.netcanvas.json'.length));

beforeAll(async () => {
  await selectBackend('cpu');
});

// The comparison is only honest if the hand-written network is the template's network.
describe('the hand-written networks of the training-speed bench', () => {
  it('are each named after a template that exists', () => {
    expect(templateIds).toEqual(expect.arrayContaining(Object.keys(HANDWRITTEN)));
  });

  it.each(Object.keys(HANDWRITTEN))('%s has the compiled template’s parameter count, layer types and output shape', async (id) => {
    const project = (await store.load(id))!;
    const compiled = compileGraph(project.graph);
    const hand = HANDWRITTEN[id]!();
    expect(hand.countParams()).toBe(compiled.countParams());
    expect(hand.trainableWeights.map((w) => w.shape)).toEqual(compiled.trainableWeights.map((w) => w.shape));
    expect(hand.outputs.map((o) => o.shape)).toEqual(compiled.outputs.map((o) => o.shape));
    const types = (m: typeof hand) => m.layers.map((l) => l.getClassName()).filter((t) => t !== 'InputLayer');
    expect(types(hand)).toEqual(types(compiled));
    compiled.dispose();
    hand.dispose();
  });
});
