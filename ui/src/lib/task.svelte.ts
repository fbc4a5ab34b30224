// One asynchronous action of a screen. `running` disables its controls at
// once; `slow` turns on the visible progress (spinner, aria-busy) only when
// the action takes longer than 300 ms, so quick answers do not flicker.
import type { UiError } from './bindings/ipc';
import { toUiError } from './ipc';

export const SLOW_MS = 300;

export class Task {
  running = $state(false);
  slow = $state(false);
  error = $state<UiError | null>(null);
  #retry: (() => Promise<unknown>) | null = null;

  /** Runs `action`; returns its result, or undefined after showing its error. */
  async run<T>(action: () => Promise<T>): Promise<T | undefined> {
    this.running = true;
    this.error = null;
    this.#retry = action;
    const timer = setTimeout(() => (this.slow = true), SLOW_MS);
    try {
      return await action();
    } catch (err) {
      this.error = toUiError(err);
      return undefined;
    } finally {
      clearTimeout(timer);
      this.running = false;
      this.slow = false;
    }
  }

  /** Runs the last action again (the error box's "Try again"). */
  retry = async (): Promise<void> => {
    if (this.#retry) await this.run(this.#retry);
  };

  clear(): void {
    this.error = null;
  }
}
