// Where the admin's console password came from, so the reset hint never says
// "you chose it" about a password the app made.

/** The catalogue key of the hint beside "Ask for a new password at the first
 * sign-in". `generated` is the last password the app generated, if any. */
export function resetHintKey(password: string, generated: string | null): string {
  if (password === '') return 'admin_reset.hint_app_makes';
  if (generated !== null && password === generated) return 'admin_reset.hint_generated';
  return 'admin_reset.hint_chosen';
}
