import { describe, expect, it } from 'vitest';
import { addAmounts, compareAmounts, money, multiplyAmount, toDecimalString } from './money';

describe('money', () => {
  it('normalizes registrar numbers to decimal strings without floats', () => {
    expect(toDecimalString(12.5)).toBe('12.5');
    expect(toDecimalString('012.500')).toBe('12.5');
    expect(toDecimalString(' 8 ')).toBe('8');
    expect(toDecimalString('1,234.00')).toBe('1234');
    expect(toDecimalString(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(() => toDecimalString('ten')).toThrow(/not a decimal/);
    expect(money('69', 'rmb')).toEqual({ amount: '69', currency: 'CNY' });
  });

  it('compares, adds and multiplies exactly', () => {
    expect(compareAmounts('10.10', '10.1')).toBe(0);
    expect(compareAmounts('9.99', '10')).toBe(-1);
    expect(compareAmounts('-1', '0')).toBe(-1);
    expect(addAmounts('0.1', '0.2')).toBe('0.3');
    expect(addAmounts('10', '-10.5')).toBe('-0.5');
    expect(multiplyAmount('8.99', 3)).toBe('26.97');
  });
});
