// Which screen shows what, and how Back, Next and resume move between them.
// Pure functions, so they are unit-tested without a window.
import type { Moment, StepId, StepState, StepView } from './bindings/ipc';

/** The optional extras, listed after the walkthrough in the sidebar. They
 * are not steps: they never change the walkthrough's order or resume. */
export const EXTRA_SCREENS = ['budget', 'contacts', 'partner', 'identity_center', 'classroom'] as const;
export type ExtraId = (typeof EXTRA_SCREENS)[number];

/** A screen: the welcome page, one per engine step, the undo page and the extras. */
export type ScreenId = 'welcome' | StepId | 'undo' | ExtraId;

export function isExtra(screen: ScreenId): screen is ExtraId {
  return (EXTRA_SCREENS as readonly string[]).includes(screen);
}

/** Whether a walkthrough step is on screen: every screen but the welcome
 * page, the summary (checkup), undo and the extras. The app never looks for,
 * offers or installs an update then (engine/src/updates.rs). */
export function updateMoment(screen: ScreenId): Moment {
  const between = screen === 'welcome' || screen === 'checkup' || screen === 'undo' || isExtra(screen);
  return between ? 'between_steps' : 'in_step';
}

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

/** Where Back and Next lead from a screen; null at either end. The extras
 * lead from one to the next; Back from the first goes to the summary. */
export function nextScreen(current: ScreenId): ScreenId | null {
  if (current === 'undo') return null;
  if (isExtra(current)) return EXTRA_SCREENS[EXTRA_SCREENS.indexOf(current) + 1] ?? null;
  const index = SCREEN_ORDER.indexOf(pageFor(current));
  return SCREEN_ORDER[index + 1] ?? null;
}

export function previousScreen(current: ScreenId): ScreenId | null {
  if (current === 'undo') return 'checkup';
  if (isExtra(current)) return EXTRA_SCREENS[EXTRA_SCREENS.indexOf(current) - 1] ?? 'checkup';
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

const STEP_SCREENS: readonly string[] = [...SCREEN_ORDER, 'handoff'];

/** The screen a checkup result's `fix_step` names (a walkthrough step, or
 * "budget" for the Budget extra); null for anything the UI does not know. */
export function fixScreen(fixStep: string | null): ScreenId | null {
  if (fixStep === null || fixStep === 'welcome') return null;
  if (STEP_SCREENS.includes(fixStep) || (EXTRA_SCREENS as readonly string[]).includes(fixStep)) return fixStep as ScreenId;
  return null;
}
