import { describe, expect, it } from 'vitest';
import { fairnessGap, figure, groupLabel, labelledGroups, percent } from '../../../../../renderer/panels/insight/fairness.js';

describe('the fairness gap in words', () => {
  it('names the worst group against the best by accuracy, in points', () => {
    const gap = fairnessGap([
      { group: 'male', count: 120, accuracy: 0.85 },
      { group: 'female', count: 80, accuracy: 0.727 },
      { group: 'other', count: 0, accuracy: 0 },
    ]);
    expect(gap?.best.group).toBe('male');
    expect(gap?.worst.group).toBe('female');
    expect(gap?.gap).toBeCloseTo(12.3, 5);
    expect(gap?.sentence).toBe('Accuracy for female is 12.3 points below male (72.7% against 85.0%).');
  });

  it('ranks by error for a regression, lowest best, in the target’s units', () => {
    const gap = fairnessGap(
      [
        { group: 'Biscoe', count: 50, meanAbsoluteError: 310 },
        { group: 'Dream', count: 40, meanAbsoluteError: 250.5 },
        { group: 'Torgersen', count: 40, meanAbsoluteError: 420 },
      ],
      'body_mass_g',
    );
    expect(gap?.metric).toBe('meanAbsoluteError');
    expect([gap?.best.group, gap?.worst.group]).toEqual(['Dream', 'Torgersen']);
    expect(gap?.sentence).toBe('The mean absolute error for Torgersen is 170 higher than for Dream (in body_mass_g): 420 against 251.');
  });

  it('warns when the worst group is small', () => {
    const gap = fairnessGap([
      { group: 'a', count: 300, accuracy: 0.9 },
      { group: 'b', count: 7, accuracy: 0.5 },
    ]);
    expect(gap?.sentence).toMatch(/Only 7 examples are b/);
  });

  it('says when every group does alike, and gives nothing for fewer than two groups', () => {
    expect(fairnessGap([{ group: 'a', count: 5, accuracy: 0.5 }, { group: 'b', count: 50, accuracy: 0.5 }])?.sentence).toMatch(/^Accuracy is the same for every group \(50\.0%\)/);
    expect(fairnessGap([{ group: 'a', count: 5, accuracy: 0.5 }])).toBeNull();
    expect(fairnessGap([{ group: 'a', count: 5 }, { group: 'b', count: 5 }])).toBeNull();
  });

  it('formats figures with a few significant digits', () => {
    expect(figure(2.3141)).toBe('2.31');
    expect(figure(0.04123)).toBe('0.041');
    expect(figure(1234.5)).toBe('1,235');
    expect(percent(0.9512)).toBe('95.1%');
  });

  it('names a group by a bare number with its column', () => {
    expect(groupLabel('chas', '1')).toBe('chas = 1');
    expect(groupLabel('rad', '-2.5')).toBe('rad = -2.5');
    expect(groupLabel('smoker', 'true')).toBe('smoker = true');
    expect(groupLabel('sex', 'female')).toBe('female');
    expect(labelledGroups('chas', [{ group: '0', count: 3, accuracy: 1 }])).toEqual([{ group: 'chas = 0', count: 3, accuracy: 1 }]);
  });
});
