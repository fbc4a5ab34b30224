import { describe, expect, it } from 'vitest';
import { describedBy, hintId } from './field';

describe('field hints', () => {
  it('names the hint after the control', () => {
    expect(hintId('connect-access-key-id')).toBe('connect-access-key-id-hint');
  });

  it('points aria-describedby at the hint only when there is one', () => {
    expect(describedBy('mfa-code1', 'Six digits')).toBe('mfa-code1-hint');
    expect(describedBy('mfa-code1', '')).toBeUndefined();
    expect(describedBy('mfa-code1', undefined)).toBeUndefined();
  });

  it('keeps a hint id the caller chose', () => {
    expect(describedBy('budget-zero-spend', 'No charges yet', 'budget-zero-hint')).toBe('budget-zero-hint');
    expect(describedBy('budget-zero-spend', '', 'budget-zero-hint')).toBeUndefined();
  });
});
