import { describe, expect, it } from 'vitest';
import { newerProgress, progressView, startProgress } from './progress';

describe('class progress', () => {
  it('counts done and failed as finished, out of all students', () => {
    expect(progressView({ done: 3, failed: 1, remaining: 6 })).toEqual({ total: 10, finished: 4, percent: 40 });
    expect(progressView({ done: 40, failed: 0, remaining: 0 })).toEqual({ total: 40, finished: 40, percent: 100 });
  });

  it('rounds to whole percents and never divides by zero', () => {
    expect(progressView({ done: 1, failed: 0, remaining: 2 }).percent).toBe(33);
    expect(progressView({ done: 2, failed: 0, remaining: 1 }).percent).toBe(67);
    expect(progressView({ done: 0, failed: 0, remaining: 0 })).toEqual({ total: 0, finished: 0, percent: 0 });
  });

  it('ignores impossible negative counts', () => {
    expect(progressView({ done: -1, failed: 0, remaining: 4 })).toEqual({ total: 4, finished: 0, percent: 0 });
  });

  it('starts with everyone still to go', () => {
    expect(startProgress(12)).toEqual({ done: 0, failed: 0, remaining: 12 });
    expect(startProgress(-3)).toEqual({ done: 0, failed: 0, remaining: 0 });
  });

  it('keeps the furthest event when events arrive out of order', () => {
    const later = { done: 5, failed: 1, remaining: 4 };
    const earlier = { done: 4, failed: 0, remaining: 6 };
    expect(newerProgress(null, earlier)).toEqual(earlier);
    expect(newerProgress(earlier, later)).toEqual(later);
    expect(newerProgress(later, earlier)).toEqual(later);
  });
});
