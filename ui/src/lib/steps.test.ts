import { describe, expect, it } from 'vitest';
import { stateKey } from './steps';
import en from './i18n/en.json';
import { leafKeys } from './i18n/keys';

describe('stateKey', () => {
  it('tells verified from unverified completion', () => {
    expect(stateKey({ state: 'done', verified: true })).toBe('steps.state.done_verified');
    expect(stateKey({ state: 'done', verified: false })).toBe('steps.state.done_unverified');
  });

  it('names a catalogue key for every state', () => {
    const states = [{ state: 'todo' }, { state: 'needs_you' }, { state: 'skipped' }, { state: 'done', verified: true }] as const;
    for (const s of states) expect(leafKeys(en)).toContain(stateKey(s));
  });
});
