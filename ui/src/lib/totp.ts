// Time arithmetic for 30-second TOTP codes (RFC 6238, as AWS uses them).

export const TOTP_PERIOD = 30;

/** Seconds left in the current TOTP step at `nowMs` (1..period). */
export function secondsLeftInStep(nowMs: number, period = TOTP_PERIOD): number {
  const seconds = Math.floor(nowMs / 1000);
  return period - (((seconds % period) + period) % period);
}

/**
 * Seconds left until `deadlineMs`, rounded up, never below 0. Used with the
 * engine's `seconds_left` turned into a deadline when the answer arrived.
 */
export function secondsUntil(deadlineMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
}

/** The deadline of a code the engine said has `secondsLeft` to live. */
export function deadlineFrom(secondsLeft: number, receivedAtMs: number): number {
  return receivedAtMs + Math.max(0, secondsLeft) * 1000;
}

/** What a user typed or pasted into a code box, as digits only ("123 456" → "123456"). */
export function cleanCode(input: string): string {
  return input.replace(/\D/g, '').slice(0, 6);
}

export function isSixDigits(code: string): boolean {
  return /^\d{6}$/.test(code);
}
