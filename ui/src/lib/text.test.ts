import { afterEach, describe, expect, it, vi } from 'vitest';
import { debounce, pick, resourceText, signInUrl } from './text';
import { isUiError, toUiError } from './ipc';
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import { leafKeys, placeholders } from './i18n/keys';
import type { Resource } from './bindings/ipc';

function lookup(tree: unknown, key: string): string {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) as string;
}

describe('pick', () => {
  it('chooses the window language', () => {
    expect(pick({ ko: '안녕', en: 'hello' }, 'ko')).toBe('안녕');
    expect(pick({ ko: '안녕', en: 'hello' }, 'en')).toBe('hello');
  });
});

describe('signInUrl', () => {
  it('builds the console sign-in address', () => {
    expect(signInUrl('aws-kim')).toBe('https://aws-kim.signin.aws.amazon.com/console');
    expect(signInUrl('123456789012')).toBe('https://123456789012.signin.aws.amazon.com/console');
  });
});

describe('resourceText', () => {
  const every: Resource[] = [
    { type: 'alias', alias: 'aws-kim' },
    { type: 'user', user_name: 'aws.user1' },
    { type: 'group', group_name: 'Administrators' },
    { type: 'group_policy', group_name: 'Administrators', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    { type: 'user_policy', user_name: 'aws.user1', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    { type: 'group_membership', group_name: 'Administrators', user_name: 'aws.user1' },
    { type: 'login_profile', user_name: 'aws.user1' },
    { type: 'password_policy' },
    { type: 'mfa_device', user_name: 'aws.user1', serial_number: 'arn:aws:iam::1:mfa/x' },
    { type: 'access_key', user_name: 'aws.user1', access_key_id: 'AKIA0000' },
    { type: 'keychain_entry', account: 'x' },
    { type: 'aws_cli_profile', profile: 'p' },
    { type: 'credentials_file_profile', profile: 'p' },
  ];

  it('has a message for every resource type, using exactly its fields', () => {
    for (const resource of every) {
      const { key, values } = resourceText(resource);
      expect(leafKeys(en), key).toContain(key);
      expect(leafKeys(ko), key).toContain(key);
      expect(placeholders(lookup(en, key))).toEqual(Object.keys(values).sort());
    }
  });
});

describe('errors', () => {
  it('keeps an engine UiError as it is', () => {
    const e = { code: 'aws.network', message: 'AWS could not be reached.', retryable: true };
    expect(isUiError(e)).toBe(true);
    expect(toUiError(e)).toEqual(e);
  });

  it('turns anything else into ui.unexpected with no message (the UI supplies it)', () => {
    expect(toUiError('command x not found')).toEqual({ code: 'ui.unexpected', message: '', retryable: true });
    expect(toUiError(new Error('boom')).code).toBe('ui.unexpected');
    expect(toUiError(null).code).toBe('ui.unexpected');
  });
});

describe('debounce', () => {
  afterEach(() => vi.useRealTimers());

  it('calls once with the last arguments after typing pauses, and can be cancelled', () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    const call = debounce((s: string) => seen.push(s), 300);
    call('a');
    call('ab');
    vi.advanceTimersByTime(299);
    expect(seen).toEqual([]);
    call('abc');
    vi.advanceTimersByTime(300);
    expect(seen).toEqual(['abc']);
    call('abcd');
    call.cancel();
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(['abc']);
  });
});
