import { describe, expect, it } from 'vitest';
import { cleanCode, deadlineFrom, isSixDigits, secondsLeftInStep, secondsUntil, TOTP_PERIOD } from './totp';

describe('secondsLeftInStep', () => {
  it('is 30 at the start of a step and 1 in its last second', () => {
    expect(secondsLeftInStep(0)).toBe(30);
    expect(secondsLeftInStep(30_000)).toBe(30);
    expect(secondsLeftInStep(29_000)).toBe(1);
    expect(secondsLeftInStep(29_999)).toBe(1);
  });

  it('counts down through a step', () => {
    const start = 1_700_000_010_000; // a multiple of 30 s
    expect(start % 30_000).toBe(0);
    expect(secondsLeftInStep(start + 1_000)).toBe(29);
    expect(secondsLeftInStep(start + 10_500)).toBe(20);
    expect(secondsLeftInStep(start + 29_000)).toBe(1);
    expect(secondsLeftInStep(start + 30_000)).toBe(30);
  });

  it('always stays within 1..period', () => {
    for (let ms = 0; ms < 120_000; ms += 370) {
      const left = secondsLeftInStep(ms);
      expect(left).toBeGreaterThanOrEqual(1);
      expect(left).toBeLessThanOrEqual(TOTP_PERIOD);
    }
  });

  it('works for other periods and for negative times', () => {
    expect(secondsLeftInStep(59_000, 60)).toBe(1);
    expect(secondsLeftInStep(-1_000)).toBe(1);
  });
});

describe('engine deadlines', () => {
  it('turns seconds_left into a deadline and counts down to 0, rounding up', () => {
    const received = 1_000_000;
    const deadline = deadlineFrom(17, received);
    expect(deadline).toBe(1_017_000);
    expect(secondsUntil(deadline, received)).toBe(17);
    expect(secondsUntil(deadline, received + 200)).toBe(17);
    expect(secondsUntil(deadline, received + 1_000)).toBe(16);
    expect(secondsUntil(deadline, received + 16_999)).toBe(1);
    expect(secondsUntil(deadline, received + 17_000)).toBe(0);
    expect(secondsUntil(deadline, received + 99_000)).toBe(0);
  });

  it('treats a negative seconds_left as expired', () => {
    expect(secondsUntil(deadlineFrom(-3, 500), 500)).toBe(0);
  });
});

describe('code boxes', () => {
  it('keep only digits, at most six', () => {
    expect(cleanCode('123 456')).toBe('123456');
    expect(cleanCode(' 12-34 56 ')).toBe('123456');
    expect(cleanCode('1234567')).toBe('123456');
    expect(cleanCode('abc')).toBe('');
  });

  it('accept exactly six digits', () => {
    expect(isSixDigits('123456')).toBe(true);
    expect(isSixDigits('12345')).toBe(false);
    expect(isSixDigits('12345a')).toBe(false);
    expect(isSixDigits('1234567')).toBe(false);
  });
});
