import { describe, expect, it } from 'vitest';
import { fieldNamedIn, fieldProblem, formatNumber, rangeHint, readTokens, typicalValues } from '../../../../../renderer/panels/insight/tryForms.js';
import type { InputField } from '../../../../../shared/api/insight.js';

const fields: InputField[] = [
  { name: 'bill_length_mm', type: 'number', min: 32.1, max: 59.6, typical: '43.9' },
  { name: 'island', type: 'category', values: ['Biscoe', 'Dream', 'Torgersen'], typical: 'Biscoe' },
  { name: 'bill', type: 'number', typical: '1' },
];

describe('the words a text network read', () => {
  it('leaves padding out and marks words outside the vocabulary', () => {
    expect(readTokens(['a', 'great', '<unk>', 'film', '', '', '<pad>'])).toEqual([
      { text: 'a', unknown: false },
      { text: 'great', unknown: false },
      { text: '<unk>', unknown: true },
      { text: 'film', unknown: false },
    ]);
  });
});

describe('the table form', () => {
  it('starts from each column’s typical value', () => {
    expect(typicalValues(fields)).toEqual({ bill_length_mm: '43.9', island: 'Biscoe', bill: '1' });
  });

  it('says what is wrong with a value, naming the column', () => {
    expect(fieldProblem(fields[0]!, '40.2')).toBeNull();
    expect(fieldProblem(fields[0]!, ' ')).toBe('bill_length_mm needs a number.');
    expect(fieldProblem(fields[0]!, 'long')).toBe('bill_length_mm needs a number, not "long".');
    expect(fieldProblem(fields[1]!, 'Dream')).toBeNull();
    expect(fieldProblem(fields[1]!, 'Mars')).toBe('island is one of Biscoe, Dream, Torgersen.');
  });

  it('hints at the range training saw, in the column’s units', () => {
    expect(rangeHint(fields[0]!)).toBe('bill_length_mm in training: 32.1 to 59.6');
    expect(rangeHint(fields[1]!)).toBeNull();
    expect(rangeHint(fields[2]!)).toBeNull();
  });

  it('finds the field an error names, the longest name when one holds another', () => {
    expect(fieldNamedIn('bill_length_mm must be a number, not "x"', fields)).toBe('bill_length_mm');
    expect(fieldNamedIn('bill_length_mm must be a number, not "x"', [...fields].reverse())).toBe('bill_length_mm');
    expect(fieldNamedIn('bill must be a number', fields)).toBe('bill');
    expect(fieldNamedIn('The network could not be read', fields)).toBeNull();
  });
});

describe('numbers as a person reads them', () => {
  it('keeps four significant digits and uses exponents only at the extremes', () => {
    expect(formatNumber(22.53219)).toBe('22.53');
    expect(formatNumber(1234.5678)).toBe('1,235');
    expect(formatNumber(0.012345)).toBe('0.01235');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(2.5e7)).toBe('2.50e+7');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});
