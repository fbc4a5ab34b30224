import { describe, expect, it } from 'vitest';
import type { StepId, StepState, StepView } from './bindings/ipc';
import { EXTRA_SCREENS, firstOpenStep, fixScreen, isDone, isExtra, isVerified, nextScreen, pageFor, previousScreen, resumeScreen, SCREEN_ORDER, updateMoment } from './wizard';

const ALL: StepId[] = ['account_signup', 'root_mfa', 'identity', 'alias', 'admin_user', 'user_mfa', 'billing_access', 'access_key', 'handoff', 'bootstrap_cleanup', 'checkup'];

function steps(states: Partial<Record<StepId, StepState>>): StepView[] {
  return ALL.map((id) => ({ id, console_only: false, state: states[id] ?? { state: 'todo' } }));
}

describe('Back and Next', () => {
  it('walk through every page in order, from welcome to the summary', () => {
    const visited = ['welcome'];
    let screen = nextScreen('welcome');
    while (screen) {
      visited.push(screen);
      screen = nextScreen(screen);
    }
    expect(visited).toEqual(SCREEN_ORDER);
    expect(visited.at(-1)).toBe('checkup');
  });

  it('Back undoes Next', () => {
    for (const screen of SCREEN_ORDER.slice(1)) {
      const next = nextScreen(screen);
      if (next) expect(previousScreen(next)).toBe(screen);
    }
    expect(previousScreen('welcome')).toBeNull();
  });

  it('handoff lives on the access key page', () => {
    expect(pageFor('handoff')).toBe('access_key');
    expect(nextScreen('handoff')).toBe('bootstrap_cleanup');
    expect(previousScreen('handoff')).toBe('billing_access');
  });

  it('undo goes back to the summary and has no Next', () => {
    expect(previousScreen('undo')).toBe('checkup');
    expect(nextScreen('undo')).toBeNull();
  });

  it('has a page for every engine step', () => {
    for (const id of ALL) expect(SCREEN_ORDER).toContain(pageFor(id));
  });
});

describe('resume', () => {
  it('starts at welcome when nothing happened yet', () => {
    expect(resumeScreen(steps({}))).toBe('welcome');
    expect(resumeScreen([])).toBe('welcome');
  });

  it('opens the first step that is not done', () => {
    const s = steps({
      account_signup: { state: 'done', verified: false },
      root_mfa: { state: 'done', verified: true },
      identity: { state: 'needs_you' },
    });
    expect(resumeScreen(s)).toBe('identity');
  });

  it('treats skipped as done and needs_you as open', () => {
    const s = steps({
      account_signup: { state: 'done', verified: false },
      root_mfa: { state: 'skipped' },
      identity: { state: 'done', verified: true },
      alias: { state: 'skipped' },
      admin_user: { state: 'needs_you' },
    });
    expect(firstOpenStep(s)).toBe('admin_user');
  });

  it('opens the summary when every step is done', () => {
    const done = Object.fromEntries(ALL.map((id) => [id, { state: 'done', verified: true }])) as Record<StepId, StepState>;
    expect(resumeScreen(steps(done))).toBe('checkup');
  });

  it('opens handoff (the access key page) when that is the first open step', () => {
    const done = Object.fromEntries(ALL.slice(0, 8).map((id) => [id, { state: 'done', verified: true }])) as Record<StepId, StepState>;
    const screen = resumeScreen(steps(done));
    expect(screen).toBe('handoff');
    expect(pageFor(screen)).toBe('access_key');
  });
});

describe('state helpers', () => {
  it('tell done from verified', () => {
    expect(isDone({ state: 'done', verified: false })).toBe(true);
    expect(isVerified({ state: 'done', verified: false })).toBe(false);
    expect(isVerified({ state: 'done', verified: true })).toBe(true);
    expect(isDone({ state: 'skipped' })).toBe(true);
    expect(isDone({ state: 'needs_you' })).toBe(false);
    expect(isDone({ state: 'todo' })).toBe(false);
  });
});

describe('extras', () => {
  it('are not part of the walkthrough: Next from the summary still ends it', () => {
    for (const extra of EXTRA_SCREENS) expect(SCREEN_ORDER).not.toContain(extra);
    expect(nextScreen('checkup')).toBeNull();
    expect(SCREEN_ORDER).toHaveLength(11);
  });

  it('lead from one to the next; Back from the first goes to the summary', () => {
    expect(EXTRA_SCREENS).toEqual(['budget', 'contacts', 'partner', 'identity_center', 'classroom']);
    expect(previousScreen('budget')).toBe('checkup');
    expect(nextScreen('budget')).toBe('contacts');
    expect(previousScreen('contacts')).toBe('budget');
    expect(nextScreen('classroom')).toBeNull();
    for (const extra of EXTRA_SCREENS) {
      expect(isExtra(extra)).toBe(true);
      expect(pageFor(extra)).toBe(extra);
    }
    expect(isExtra('checkup')).toBe(false);
  });

  it('never become the resume screen', () => {
    const done = Object.fromEntries(ALL.map((id) => [id, { state: 'done', verified: true }])) as Record<StepId, StepState>;
    expect(resumeScreen(steps(done))).toBe('checkup');
    expect(resumeScreen(steps({ account_signup: { state: 'done', verified: false } }))).toBe('root_mfa');
  });
});

describe('checkup fix_step', () => {
  it('opens the named wizard step, or the Budget extra', () => {
    for (const step of ['root_mfa', 'bootstrap_cleanup', 'admin_user', 'user_mfa', 'access_key', 'alias']) expect(fixScreen(step)).toBe(step);
    expect(fixScreen('budget')).toBe('budget');
    expect(fixScreen('handoff')).toBe('handoff');
  });

  it('ignores what it does not know', () => {
    expect(fixScreen(null)).toBeNull();
    expect(fixScreen('')).toBeNull();
    expect(fixScreen('welcome')).toBeNull();
    expect(fixScreen('somewhere_else')).toBeNull();
  });
});

describe('updates', () => {
  it('are never looked for, offered or installed while a walkthrough step is on screen', () => {
    const steps: StepId[] = ['account_signup', 'root_mfa', 'identity', 'alias', 'admin_user', 'user_mfa', 'billing_access', 'access_key', 'handoff', 'bootstrap_cleanup'];
    for (const step of steps) expect(updateMoment(step), step).toBe('in_step');
  });

  it('may happen on the welcome page, the summary, undo and the extras', () => {
    for (const screen of ['welcome', 'checkup', 'undo', ...EXTRA_SCREENS] as const) {
      expect(updateMoment(screen), screen).toBe('between_steps');
    }
  });
});
