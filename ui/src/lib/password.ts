// A client-side strength meter (0–4) for the admin user's console password.
// It only guides the user; the account's password policy is checked by the
// engine (ipc.checkPassword).

export type Strength = 0 | 1 | 2 | 3 | 4;

/** How many of the four character classes the password uses. */
export function characterClasses(password: string): number {
  let classes = 0;
  if (/[a-z]/.test(password)) classes++;
  if (/[A-Z]/.test(password)) classes++;
  if (/[0-9]/.test(password)) classes++;
  if (/[^A-Za-z0-9]/.test(password)) classes++;
  return classes;
}

/**
 * 0 = empty or very weak, 4 = strong. Length counts most: under 8 characters
 * is never better than 1; 14 or more (the CIS minimum) with at least three
 * classes, or 20 or more with two, is 4.
 */
export function passwordStrength(password: string): Strength {
  const length = [...password].length;
  if (length === 0) return 0;
  const classes = characterClasses(password);
  if (length < 8) return classes >= 3 ? 1 : 0;
  if (new Set(password).size <= 2) return 1;
  if (length >= 20 && classes >= 2) return 4;
  if (length >= 14 && classes >= 3) return 4;
  if (length >= 12 && classes >= 3) return 3;
  if (length >= 14 && classes >= 2) return 3;
  if (classes >= 3) return 2;
  if (classes >= 2) return 2;
  return 1;
}

/** The catalogue key naming a strength level. */
export function strengthKey(strength: Strength): string {
  return ['admin.strength.0', 'admin.strength.1', 'admin.strength.2', 'admin.strength.3', 'admin.strength.4'][strength] ?? 'admin.strength.0';
}
