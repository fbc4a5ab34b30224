// The window's shared state: what the engine told us so far and which
// screen shows. Screens read and update it; App.svelte renders it.
import { tick } from 'svelte';
import type { AppInfo, ConnectResult, Lang, StepView } from './bindings/ipc';
import { ipc } from './ipc';
import { firstOpenStep, nextScreen, pageFor, previousScreen, type ScreenId } from './wizard';

export const DEFAULT_USER_NAME = 'aws.user1';

export const wizard = $state({
  info: null as AppInfo | null,
  lang: 'en' as Lang,
  steps: [] as StepView[],
  screen: 'welcome' as ScreenId,
  /** A catalogue key saying why Next is blocked, or null. */
  nextBlocked: null as string | null,
  connection: null as ConnectResult | null,
  userName: DEFAULT_USER_NAME,
  signInUrl: null as string | null,
  /** The undo page is listed in practice mode, or once the summary asked for it. */
  undoListed: false,
});

/** Opens a screen and moves keyboard focus to its heading. */
export async function goto(screen: ScreenId): Promise<void> {
  if (screen === 'undo') wizard.undoListed = true;
  // A page that blocks Next (an unexported secret) keeps blocking while it shows.
  if (pageFor(screen) !== pageFor(wizard.screen)) wizard.nextBlocked = null;
  wizard.screen = screen;
  await tick();
  const target = screen === 'handoff' ? '#handoff-heading' : '#main h2';
  const heading = document.querySelector<HTMLElement>(target);
  heading?.focus({ preventScroll: true });
  if (screen === 'handoff') heading?.scrollIntoView({ block: 'start' });
  else document.getElementById('main')?.scrollTo(0, 0);
}

export function goNext(): Promise<void> {
  const next = nextScreen(wizard.screen);
  return next ? goto(next) : Promise.resolve();
}

export function goBack(): Promise<void> {
  const previous = previousScreen(wizard.screen);
  return previous ? goto(previous) : Promise.resolve();
}

export async function refreshSteps(): Promise<void> {
  try {
    wizard.steps = await ipc.walkthroughSteps();
  } catch {
    // The sidebar keeps what it had; the next refresh tries again.
  }
}

/** After a step's action succeeded: update the sidebar, then move on. */
export async function stepFinished(): Promise<void> {
  await refreshSteps();
  await goNext();
}

export function gotoFirstOpenStep(): Promise<void> {
  return goto(firstOpenStep(wizard.steps));
}
