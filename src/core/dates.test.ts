import { describe, expect, it } from 'vitest';
import { addYears, fromEpochMs, fromEpochSeconds, fromLocalDateTime, sameDay, toLocalDate } from './dates';

describe('dates', () => {
  it('reads every registrar form as ISO UTC', () => {
    expect(fromEpochMs(1735689600000)).toBe('2025-01-01T00:00:00.000Z');
    expect(fromEpochMs('1735689600000')).toBe('2025-01-01T00:00:00.000Z');
    expect(fromEpochSeconds('1735689600')).toBe('2025-01-01T00:00:00.000Z');
    expect(fromLocalDateTime('2025-01-01')).toBe('2025-01-01T00:00:00.000Z');
    expect(fromLocalDateTime('20250101')).toBe('2025-01-01T00:00:00.000Z');
    expect(fromLocalDateTime('2025-01-01 08:00:00', 480)).toBe('2025-01-01T00:00:00.000Z');
  });

  it('refuses what is not a date', () => {
    expect(() => fromLocalDateTime('2025-02-30')).toThrow(/calendar/);
    expect(() => fromLocalDateTime('')).toThrow();
    expect(() => fromEpochMs('soon')).toThrow();
    // Beyond Date's range: a protocol error, not toISOString()'s RangeError (found by fuzzing).
    expect(() => fromEpochMs('99999999999999999999')).toThrow(expect.objectContaining({ kind: 'protocol' }));
    expect(() => fromEpochSeconds(9e15)).toThrow(expect.objectContaining({ kind: 'protocol' }));
  });

  it('adds years keeping the day, 29 Feb → 28 Feb', () => {
    expect(addYears('2025-03-01T00:00:00.000Z', 2)).toBe('2027-03-01T00:00:00.000Z');
    expect(addYears('2024-02-29T00:00:00.000Z', 1)).toBe('2025-02-28T00:00:00.000Z');
  });

  it('compares calendar days in a zone', () => {
    expect(sameDay('2025-01-01T00:00:00Z', '2025-01-01T23:59:00Z')).toBe(true);
    expect(sameDay('2025-01-01T20:00:00Z', '2025-01-01T10:00:00Z', 480)).toBe(false);
    expect(toLocalDate('2025-01-01T20:00:00Z', 480)).toBe('2025-01-02');
  });
});
