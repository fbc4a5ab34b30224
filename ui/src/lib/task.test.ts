import { afterEach, describe, expect, it, vi } from 'vitest';
import { SLOW_MS, Task } from './task.svelte';

afterEach(() => vi.useRealTimers());

describe('Task', () => {
  it('shows progress only when an action takes longer than 300 ms', async () => {
    vi.useFakeTimers();
    const task = new Task();
    let finish: (v: string) => void = () => undefined;
    const result = task.run(() => new Promise<string>((resolve) => (finish = resolve)));
    expect(task.running).toBe(true);
    expect(task.slow).toBe(false);
    vi.advanceTimersByTime(SLOW_MS - 1);
    expect(task.slow).toBe(false);
    vi.advanceTimersByTime(1);
    expect(task.slow).toBe(true);
    finish('done');
    expect(await result).toBe('done');
    expect(task.running).toBe(false);
    expect(task.slow).toBe(false);
  });

  it('never shows progress for a quick action', async () => {
    vi.useFakeTimers();
    const task = new Task();
    expect(await task.run(async () => 42)).toBe(42);
    vi.advanceTimersByTime(1000);
    expect(task.slow).toBe(false);
  });

  it('keeps the engine error, returns undefined, and can retry', async () => {
    const task = new Task();
    let calls = 0;
    const action = async () => {
      calls++;
      if (calls === 1) throw { code: 'aws.network', message: 'offline', retryable: true };
      return 'ok';
    };
    expect(await task.run(action)).toBeUndefined();
    expect(task.error).toEqual({ code: 'aws.network', message: 'offline', retryable: true });
    await task.retry();
    expect(task.error).toBeNull();
    expect(calls).toBe(2);
  });
});
