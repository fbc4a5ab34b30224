// The classroom's progress bar: `class-progress` events count students done,
// failed and still to go.
import type { ClassProgress } from './bindings/ipc';

export interface ProgressView {
  total: number;
  finished: number;
  /** 0 to 100, whole numbers. */
  percent: number;
}

export function progressView(progress: ClassProgress): ProgressView {
  const done = Math.max(0, progress.done);
  const failed = Math.max(0, progress.failed);
  const remaining = Math.max(0, progress.remaining);
  const total = done + failed + remaining;
  const finished = done + failed;
  const percent = total === 0 ? 0 : Math.min(100, Math.round((finished * 100) / total));
  return { total, finished, percent };
}

/** The starting point before the first event: nothing done, all to go. */
export function startProgress(total: number): ClassProgress {
  return { done: 0, failed: 0, remaining: Math.max(0, total) };
}

/** Events can arrive out of order from concurrent workers: keep the one
 * that has more students finished. */
export function newerProgress(current: ClassProgress | null, next: ClassProgress): ClassProgress {
  if (current === null) return next;
  return next.done + next.failed >= current.done + current.failed ? next : current;
}
