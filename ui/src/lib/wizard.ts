// Which screen shows what, and how Back, Next and resume move between them.
// Pure functions, so they are unit-tested without a window.
import type { StepId, StepState, StepView } from './bindings/ipc';

/** A screen: the welcome page, one per engine step, and the undo page. */
export type ScreenId = 'welcome' | StepId | 'undo';

/** The Back/Next order. `handoff` has no page of its own: its options are on
 * the access key page (see `pageFor`). `undo` is reached from the summary. */
export const SCREEN_ORDER: ScreenId[] = [
  'welcome',
  'account_signup',
  'root_mfa',
  'identity',
  'alias',
  'admin_user',
  'user_mfa',
  'billing_access',
  'access_key',
  'bootstrap_cleanup',
  'checkup',
];

/** The page that shows a screen. */
export function pageFor(screen: ScreenId): Exclude<ScreenId, 'handoff'> {
  return screen === 'handoff' ? 'access_key' : screen;
}

export function isDone(state: StepState): boolean {
  return state.state === 'done' || state.state === 'skipped';
}

export function isVerified(state: StepState): boolean {
  return state.state === 'done' && state.verified;
}

/** Where Back and Next lead from a screen; null at either end. */
export function nextScreen(current: ScreenId): ScreenId | null {
  if (current === 'undo') return null;
  const index = SCREEN_ORDER.indexOf(pageFor(current));
  return SCREEN_ORDER[index + 1] ?? null;
}

export function previousScreen(current: ScreenId): ScreenId | null {
  if (current === 'undo') return 'checkup';
  const index = SCREEN_ORDER.indexOf(pageFor(current));
  return index > 0 ? (SCREEN_ORDER[index - 1] ?? null) : null;
}

/** The first step that is not done; the summary once all are. */
export function firstOpenStep(steps: StepView[]): ScreenId {
  return steps.find((step) => !isDone(step.state))?.id ?? 'checkup';
}

/** The screen to open at start: welcome for a new walkthrough, otherwise
 * the first step that is not done (resume). */
export function resumeScreen(steps: StepView[]): ScreenId {
  const started = steps.some((step) => step.state.state !== 'todo');
  return started ? firstOpenStep(steps) : 'welcome';
}
