import { describe, expect, it } from 'vitest';
import { adversarialSentence, classNames, classRows, visibleToken } from '../../../../../renderer/panels/insight/figures.js';

const image = { count: 1, height: 1, width: 1, channels: 1 as const, pixels: 'AA==' };

describe('per-class rows', () => {
  const perClass = [
    { class: 'cat', precision: 0.9, recall: 0.95, f1: 0.92, count: 100 },
    { class: 'dog', precision: 0.8, recall: 0.9, f1: 0.85, count: 90 },
    { class: 'fox', precision: 0.7, recall: 0.4, f1: 0.5, count: 10 },
  ];

  it('puts each class’s training examples beside its recall, as a share of the largest', () => {
    const rows = classRows({ perClass, trainingBalance: [1000, 800, 100] });
    expect(rows.map((r) => r.trainingShare)).toEqual([1, 0.8, 0.1]);
    expect(rows.map((r) => r.training)).toEqual([1000, 800, 100]);
  });

  it('marks a class the data had little of and the network recalls badly', () => {
    expect(classRows({ perClass, trainingBalance: [1000, 800, 100] }).map((r) => r.underserved)).toEqual([false, false, true]);
    // Rare but recalled well is not underserved.
    const wellRecalled = perClass.map((c) => (c.class === 'fox' ? { ...c, recall: 0.99 } : c));
    expect(classRows({ perClass: wellRecalled, trainingBalance: [1000, 800, 100] }).every((r) => !r.underserved)).toBe(true);
  });

  it('leaves the balance out when it is missing or does not match the classes', () => {
    expect(classRows({ perClass }).map((r) => r.training)).toEqual([null, null, null]);
    expect(classRows({ perClass, trainingBalance: [1, 2] }).every((r) => r.trainingShare === null && !r.underserved)).toBe(true);
  });

  it('finds class names in the evaluation, or in its per-class figures', () => {
    expect(classNames({ classes: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(classNames({ perClass })).toEqual(['cat', 'dog', 'fox']);
    expect(classNames({ confusion: [[1, 0], [0, 1]] })).toEqual(['0', '1']);
  });
});

describe('labels and sentences', () => {
  it('shows spaces and line breaks of a character model, and padding as a faint dot', () => {
    expect(visibleToken(' ')).toBe('␣');
    expect(visibleToken('a b\n')).toBe('a␣b↵');
    expect(visibleToken('')).toBe('·');
    expect(visibleToken('whale')).toBe('whale');
  });

  it('explains an adversarial example that changed the answer', () => {
    const sentence = adversarialSentence({
      kind: 'adversarial',
      epsilon: 0.03,
      changed: true,
      original: image,
      adversarial: image,
      difference: image,
      before: [{ class: '7', index: 7, probability: 0.981 }],
      after: [{ class: '3', index: 3, probability: 0.6 }],
    });
    expect(sentence).toContain('at most 3.0% of the brightness range (8 of 255 levels)');
    expect(sentence).toContain('turns “7” (98.1%) into “3” (60.0%)');
    expect(sentence).toContain('The change is too small to see');
  });

  it('says a larger step shows as a speckle', () => {
    const sentence = adversarialSentence({
      kind: 'adversarial',
      epsilon: 0.12,
      changed: true,
      original: image,
      adversarial: image,
      difference: image,
      before: [{ class: '1', index: 1, probability: 0.9 }],
      after: [{ class: '8', index: 8, probability: 0.5 }],
    });
    expect(sentence).toContain('faint speckle');
    expect(sentence).not.toContain('too small to see');
  });

  it('says when no step up to the strength changed it', () => {
    const sentence = adversarialSentence({
      kind: 'adversarial',
      epsilon: 0.1,
      changed: false,
      original: image,
      adversarial: image,
      difference: image,
      before: [{ class: '7', index: 7, probability: 0.99 }],
      after: [{ class: '7', index: 7, probability: 0.7 }],
    });
    expect(sentence).toBe('No change of up to 10.0% of the brightness range per pixel along the gradient turned “7” into another answer: try a larger strength.');
  });
});
