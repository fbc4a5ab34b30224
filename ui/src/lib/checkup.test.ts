import { describe, expect, it } from 'vitest';
import type { Check } from './bindings/ipc';
import { CHECK_IDS, knownCheck, STATUS_MARK, tally } from './checkup';

const check = (id: string, status: Check['status']): Check => ({ id, status, why: 'w', fix: 'f', fix_step: null, fix_url: null, detail: null });

describe('checkup report card', () => {
  it('tallies pass, fail and can’t tell', () => {
    expect(tally([])).toEqual({ pass: 0, fail: 0, unknown: 0 });
    expect(tally([check('a', 'pass'), check('b', 'fail'), check('c', 'unknown'), check('d', 'pass')])).toEqual({ pass: 2, fail: 1, unknown: 1 });
  });

  it('knows the engine’s check ids and shows others as they are', () => {
    expect(CHECK_IDS).toHaveLength(9);
    expect(knownCheck('root_mfa')).toBe(true);
    expect(knownCheck('something_new')).toBe(false);
  });

  it('marks every status with a symbol besides its color', () => {
    expect(new Set(Object.values(STATUS_MARK)).size).toBe(3);
  });
});
