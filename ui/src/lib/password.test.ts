import { describe, expect, it } from 'vitest';
import { characterClasses, passwordStrength, strengthKey } from './password';
import en from './i18n/en.json';
import { leafKeys } from './i18n/keys';

describe('characterClasses', () => {
  it('counts lower, upper, digits and symbols', () => {
    expect(characterClasses('')).toBe(0);
    expect(characterClasses('abc')).toBe(1);
    expect(characterClasses('abcDEF')).toBe(2);
    expect(characterClasses('abcDEF123')).toBe(3);
    expect(characterClasses('abcDEF123!')).toBe(4);
    expect(characterClasses('한글')).toBe(1);
  });
});

describe('passwordStrength', () => {
  it('is 0 for nothing and for short simple passwords', () => {
    expect(passwordStrength('')).toBe(0);
    expect(passwordStrength('abc')).toBe(0);
    expect(passwordStrength('abcdefg')).toBe(0);
  });

  it('never rates under 8 characters above 1', () => {
    expect(passwordStrength('aB3!')).toBe(1);
    expect(passwordStrength('aB3!xY9')).toBe(1);
  });

  it('rates one kind of character low however long', () => {
    expect(passwordStrength('abcdefghij')).toBe(1);
    expect(passwordStrength('aaaaaaaaaaaaaaaaaaaaaaaa')).toBe(1);
  });

  it('rates the handout minimum (8, upper, lower, digit) as fair', () => {
    expect(passwordStrength('Abcdefg1')).toBe(2);
  });

  it('rates 12+ with three kinds as good and 14+ (CIS) as strong', () => {
    expect(passwordStrength('Abcdefghijk1')).toBe(3);
    expect(passwordStrength('Abcdefghijkl12')).toBe(4);
    expect(passwordStrength('Xk7#mP2$qR9!vT4&wZ8s')).toBe(4);
  });

  it('rates a long two-kind passphrase well', () => {
    expect(passwordStrength('correcthorsebattery1')).toBe(4);
    expect(passwordStrength('correcthorse12')).toBe(3);
  });

  it('does not reward repeating one or two characters', () => {
    expect(passwordStrength('abababababababab')).toBe(1);
  });

  it('grows with length for the same kinds of characters', () => {
    let last = 0;
    for (const length of [1, 4, 8, 12, 14, 20]) {
      const pw = 'aB3!'.repeat(5).slice(0, length);
      const s = passwordStrength(pw);
      expect(s).toBeGreaterThanOrEqual(last);
      last = s;
    }
    expect(last).toBe(4);
  });

  it('names a catalogue key for every level', () => {
    for (const level of [0, 1, 2, 3, 4] as const) expect(leafKeys(en)).toContain(strengthKey(level));
  });
});
