// Client-side checks that mirror the engine's rules (crates/engine), so the
// user learns what to type before anything is sent. The engine checks again
// and answers with a UiError (validation.*) whatever passes here. Each check
// returns a catalogue key for its message, or null when the value is fine.
import type { Contact } from './bindings/ipc';

const CONTROL = /\p{Cc}/u;

function length(text: string): number {
  return [...text].length;
}

/** An address AWS accepts for a budget subscriber or a contact: 1 to 64
 * characters, one @, a dotted domain, no spaces or separators. */
export function emailProblem(value: string): string | null {
  const email = value.trim();
  const parts = email.split('@');
  const [local = '', domain = ''] = parts;
  const ok =
    length(email) >= 1 &&
    length(email) <= 64 &&
    parts.length === 2 &&
    local !== '' &&
    domain.includes('.') &&
    !domain.startsWith('.') &&
    !domain.endsWith('.') &&
    !domain.includes('..') &&
    !/[\s<>()[\],;:"\\]/u.test(email) &&
    !CONTROL.test(email);
  return ok ? null : 'validate.email';
}

/** A person's given or family name: 1 to 64 characters, no line breaks. */
export function personNameProblem(value: string): string | null {
  const name = value.trim();
  return length(name) < 1 || length(name) > 64 || CONTROL.test(name) ? 'validate.contact_name' : null;
}

/** A USD amount from 0.01 to 1,000,000 with at most two decimals. */
export function amountProblem(value: string): string | null {
  const amount = value.trim();
  const dot = amount.indexOf('.');
  const whole = dot < 0 ? amount : amount.slice(0, dot);
  const cents = dot < 0 ? '' : amount.slice(dot + 1);
  const ok =
    /^[0-9]+$/.test(whole) &&
    /^[0-9]{0,2}$/.test(cents) &&
    !(dot >= 0 && cents === '') &&
    Number(amount) >= 0.01 &&
    Number(amount) <= 1_000_000;
  return ok ? null : 'validate.budget_amount';
}

export const CONTACT_LIMITS = { name: 64, title: 50, email: 64, phone: 25 } as const;

/** The Account API's limits for an alternate contact, field by field. */
export function contactProblems(contact: Contact): Partial<Record<keyof Contact, string>> {
  const problems: Partial<Record<keyof Contact, string>> = {};
  const fits = (text: string, max: number) => length(text.trim()) >= 1 && length(text.trim()) <= max && !CONTROL.test(text);
  if (!fits(contact.name, CONTACT_LIMITS.name)) problems.name = 'validate.contact_name';
  if (!fits(contact.title, CONTACT_LIMITS.title)) problems.title = 'validate.contact_title';
  const email = emailProblem(contact.email);
  if (email) problems.email = email;
  const phone = contact.phone.trim();
  if (length(phone) < 1 || length(phone) > CONTACT_LIMITS.phone || !/^[0-9 +\-()]+$/.test(phone) || !/[0-9]/.test(phone)) {
    problems.phone = 'validate.contact_phone';
  }
  return problems;
}

/** IAM user names: 1 to 64 letters, digits and + = , . @ _ - */
export function userNameProblem(name: string): string | null {
  if (length(name) < 1 || length(name) > 64) return 'validate.user_name_length';
  if (!/^[A-Za-z0-9+=,.@_-]+$/.test(name)) return 'validate.user_name_characters';
  return null;
}

/** A class id: 1 to 32 lowercase letters, digits and hyphens, not starting
 * or ending with a hyphen (it becomes an IAM path, a group name and a tag). */
export function classIdProblem(id: string): string | null {
  return /^[a-z0-9-]{1,32}$/.test(id) && !id.startsWith('-') && !id.endsWith('-') ? null : 'validate.class_id';
}

export const MAX_CONCURRENCY = 16;

export function concurrencyProblem(n: number): string | null {
  return Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENCY ? null : 'validate.concurrency';
}

/** The policy ARNs of the "custom" preset: one per line (commas and spaces
 * separate too). */
export function parseArns(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((arn) => arn.trim())
    .filter((arn) => arn !== '');
}

/** 1 to 9 managed policy ARNs. */
export function policyArnsProblem(arns: string[]): string | null {
  const ok = arns.length >= 1 && arns.length <= 9 && arns.every((arn) => arn.startsWith('arn:aws:iam::') && arn.includes(':policy/'));
  return ok ? null : 'validate.policy_arn';
}
