import { describe, expect, it } from 'vitest';
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import {
  amountProblem,
  classIdProblem,
  CONTACT_LIMITS,
  concurrencyProblem,
  contactProblems,
  emailProblem,
  parseArns,
  policyArnsProblem,
  userNameProblem,
} from './validate';

function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
}

const good = { name: 'Kim Minsu', title: 'Owner', email: 'minsu@example.com', phone: '+82 10-1234-5678' };

describe('email (the engine rule: 1 to 64, one @, a dotted domain)', () => {
  it('accepts ordinary addresses, trimmed', () => {
    for (const email of ['a@b.co', 'first.last+tag@example.co.kr', '  minsu@example.com ', `${'x'.repeat(52)}@example.com`]) {
      expect(emailProblem(email), email).toBeNull();
    }
  });

  it('refuses everything AWS would', () => {
    const bad = ['', 'no-at.example.com', 'a@@b.com', 'a@b@c.com', '@example.com', 'a@example', 'a@.example.com', 'a@example.com.', 'a@exa..mple.com', 'a b@example.com', 'a@exa mple.com', 'a<b@example.com', 'a,b@example.com', 'a;b@example.com', 'a:b@example.com', 'a"b@example.com', 'a\\b@example.com', 'a\u0007@example.com', `${'x'.repeat(53)}@example.com`];
    for (const email of bad) expect(emailProblem(email), email).toBe('validate.email');
  });
});

describe('budget amount (USD 0.01 to 1,000,000, two decimals)', () => {
  it('accepts whole and decimal amounts', () => {
    for (const amount of ['10', '0.01', '12.5', '12.50', '1000000', ' 25 ', '010']) expect(amountProblem(amount), amount).toBeNull();
  });

  it('refuses what the engine refuses', () => {
    for (const amount of ['', '0', '0.00', '0.001', '10.', '.5', '1,000', '-5', '+5', '1e3', 'ten', '1000000.01', '10.123', '1.2.3', 'NaN', 'Infinity', ' ']) {
      expect(amountProblem(amount), amount).toBe('validate.budget_amount');
    }
  });
});

describe('alternate contact limits', () => {
  it('accepts a complete contact, and the limits exactly', () => {
    expect(contactProblems(good)).toEqual({});
    expect(contactProblems({ name: 'n'.repeat(64), title: 't'.repeat(50), email: good.email, phone: '1'.repeat(25) })).toEqual({});
    expect(CONTACT_LIMITS).toEqual({ name: 64, title: 50, email: 64, phone: 25 });
  });

  it('names each field that breaks its limit', () => {
    expect(contactProblems({ name: '', title: '', email: '', phone: '' })).toEqual({
      name: 'validate.contact_name',
      title: 'validate.contact_title',
      email: 'validate.email',
      phone: 'validate.contact_phone',
    });
    expect(contactProblems({ ...good, name: 'n'.repeat(65) })).toEqual({ name: 'validate.contact_name' });
    expect(contactProblems({ ...good, name: '   ' })).toEqual({ name: 'validate.contact_name' });
    expect(contactProblems({ ...good, title: 't'.repeat(51) })).toEqual({ title: 'validate.contact_title' });
    expect(contactProblems({ ...good, title: 'tab\there' })).toEqual({ title: 'validate.contact_title' });
  });

  it('phones are 1 to 25 digits, spaces and + - ( ), with at least one digit', () => {
    for (const phone of ['010-1234-5678', '+82 (10) 1234 5678', '1']) expect(contactProblems({ ...good, phone }).phone, phone).toBeUndefined();
    for (const phone of ['1'.repeat(26), '+-()', 'call me', '010.1234.5678', '#123']) {
      expect(contactProblems({ ...good, phone }).phone, phone).toBe('validate.contact_phone');
    }
  });
});

describe('IAM user names', () => {
  it('follow the IAM rules', () => {
    for (const name of ['gs-support', 'a', 'x+y=z,w_v', 'first.last@example.com', 'u'.repeat(64)]) expect(userNameProblem(name), name).toBeNull();
    expect(userNameProblem('')).toBe('validate.user_name_length');
    expect(userNameProblem('u'.repeat(65))).toBe('validate.user_name_length');
    for (const name of ['has space', 'slash/name', '홍길동', 'star*']) expect(userNameProblem(name), name).toBe('validate.user_name_characters');
  });
});

describe('class settings', () => {
  it('class ids are 1 to 32 lowercase letters, digits and inner hyphens', () => {
    for (const id of ['cs101', '2026-spring', 'a', 'c'.repeat(32)]) expect(classIdProblem(id), id).toBeNull();
    for (const id of ['', 'CS101', 'cs_101', '-cs', 'cs-', 'cs 101', 'c'.repeat(33), '반']) expect(classIdProblem(id), id).toBe('validate.class_id');
  });

  it('concurrency is a whole number from 1 to 16', () => {
    for (const n of [1, 4, 16]) expect(concurrencyProblem(n)).toBeNull();
    for (const n of [0, 17, 2.5, -1, Number.NaN]) expect(concurrencyProblem(n), String(n)).toBe('validate.concurrency');
  });

  it('custom policies are 1 to 9 managed policy ARNs, one per line', () => {
    const arns = parseArns(' arn:aws:iam::aws:policy/ReadOnlyAccess\n\narn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess, \r\n');
    expect(arns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    expect(policyArnsProblem(arns)).toBeNull();
    expect(policyArnsProblem([])).toBe('validate.policy_arn');
    expect(policyArnsProblem(['ReadOnlyAccess'])).toBe('validate.policy_arn');
    expect(policyArnsProblem(Array.from({ length: 10 }, (_, i) => `arn:aws:iam::aws:policy/P${i}`))).toBe('validate.policy_arn');
  });
});

describe('messages', () => {
  it('every key a check can return exists in both catalogues', () => {
    const keys = new Set<string>([
      emailProblem('') ?? '',
      amountProblem('') ?? '',
      userNameProblem('') ?? '',
      userNameProblem('a b') ?? '',
      classIdProblem('') ?? '',
      concurrencyProblem(0) ?? '',
      policyArnsProblem([]) ?? '',
      ...Object.values(contactProblems({ name: '', title: '', email: '', phone: '' })),
    ]);
    expect(keys.size).toBe(10);
    for (const key of keys) {
      expect(typeof lookup(en, key), `en ${key}`).toBe('string');
      expect(typeof lookup(ko, key), `ko ${key}`).toBe('string');
    }
  });
});
