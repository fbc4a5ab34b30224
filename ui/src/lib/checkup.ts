// The security checkup's report card: names for the engine's check ids and
// the tally shown above the list.
import type { Check, CheckStatus } from './bindings/ipc';

/** The check ids the engine reports today; each has `checkup.names.<id>`.
 * An id the UI does not know yet is shown as it is. */
export const CHECK_IDS = [
  'root_mfa',
  'root_access_key',
  'password_policy',
  'console_users_mfa',
  'access_keys_rotated',
  'one_active_key_per_user',
  'admin_via_group',
  'budget_exists',
  'alias_set',
] as const;

export function knownCheck(id: string): boolean {
  return (CHECK_IDS as readonly string[]).includes(id);
}

export function tally(checks: Check[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, unknown: 0 };
  for (const check of checks) counts[check.status]++;
  return counts;
}

export const STATUS_MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', unknown: '?' };
