import { describe, expect, it } from 'vitest';
import { get } from 'svelte/store';
import { addMessages, format, init } from 'svelte-i18n';
import en from './en.json';
import ko from './ko.json';
import { leafKeys, placeholders } from './keys';
import { REGIONS } from '../regions';
import { EXTRA_SCREENS } from '../wizard';
import { CHECK_IDS } from '../checkup';

function lookup(tree: unknown, key: string): string {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree) as string;
}

// Every .svelte source, as text, to find the keys it asks for.
const sources = import.meta.glob('../../**/*.svelte', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

/** The literal keys of `$_('…')` calls in a source text. */
function literalKeys(source: string): string[] {
  return [...source.matchAll(/\$_\(\s*(['"])([^'"`]+)\1/g)].map((m) => m[2] ?? '');
}

describe('catalogues', () => {
  it('have exactly the same keys in Korean and English', () => {
    // Each side's keys once, as sets: per-key walks of a 1,000-key catalogue time out.
    const [enKeys, koKeys] = [new Set(leafKeys(en)), new Set(leafKeys(ko))];
    const missingInKo = [...enKeys].filter((k) => !koKeys.has(k));
    const missingInEn = [...koKeys].filter((k) => !enKeys.has(k));
    expect(missingInKo).toEqual([]);
    expect(missingInEn).toEqual([]);
  });

  it('have no empty messages', () => {
    for (const catalogue of [en, ko]) {
      for (const key of leafKeys(catalogue)) {
        expect(lookup(catalogue, key).trim(), key).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of leafKeys(en)) {
      expect(placeholders(lookup(ko, key)), key).toEqual(placeholders(lookup(en, key)));
    }
  });

  it('leafKeys finds nested keys and detects a missing one', () => {
    expect(leafKeys({ a: { b: 'x', c: 'y' }, d: 'z' })).toEqual(['a.b', 'a.c', 'd']);
    expect(leafKeys({ a: { b: 'x' } })).not.toEqual(leafKeys({ a: { b: 'x', c: 'y' } }));
  });

  it('format every message with its placeholders filled (no ICU quoting surprises)', () => {
    addMessages('en', en);
    addMessages('ko', ko);
    void init({ fallbackLocale: 'en', initialLocale: 'en' });
    const t = get(format);
    expect(t('app.title', { locale: 'ko' })).toBe('AWS 설정 마법사');
    for (const [lang, catalogue] of [['en', en], ['ko', ko]] as const) {
      for (const key of leafKeys(catalogue)) {
        const message = lookup(catalogue, key);
        const values = Object.fromEntries(placeholders(message).map((p) => [p, `«${p}»`]));
        const text = t(key, { values, locale: lang });
        for (const p of placeholders(message)) expect(text, `${lang} ${key}`).toContain(`«${p}»`);
        expect(text, `${lang} ${key}`).not.toMatch(/[{}]/);
      }
    }
  });
});

describe('keys used by the screens', () => {
  it('finds the .svelte sources and the keys they use', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    expect(literalKeys(`{$_('a.b')} {$_("c.d", { values })} {$_(\`e.\${x}\`)}`)).toEqual(['a.b', 'c.d']);
  });

  it('every literal $_() key in a .svelte file exists in both catalogues', () => {
    const missing: string[] = [];
    for (const [file, source] of Object.entries(sources)) {
      for (const key of literalKeys(source)) {
        for (const [lang, catalogue] of [['en', en], ['ko', ko]] as const) {
          if (typeof lookup(catalogue, key) !== 'string') missing.push(`${lang}: ${key} (${file})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every key built at run time exists', () => {
    const dynamic = [
      ...['account_signup', 'root_mfa', 'identity', 'alias', 'admin_user', 'user_mfa', 'billing_access', 'access_key', 'handoff', 'bootstrap_cleanup', 'checkup', 'welcome', 'undo'].map((s) => `steps.${s}`),
      ...[1, 2, 3, 4, 5].flatMap((n) => [`signup.parts.p${n}.title`, `signup.parts.p${n}.text`]),
      ...['verify_email', 'continue_1', 'personal', 'continue_2', 'confirm_continue', 'send_sms', 'basic_support', 'complete'].map((l) => `signup.labels.${l}`),
      ...[1, 2, 3, 4, 5, 6].map((n) => `rootmfa.s${n}`),
      ...['security_credentials', 'assign_mfa', 'authenticator_app', 'show_qr', 'show_secret', 'mfa_code_1', 'mfa_code_2', 'add_mfa'].map((l) => `rootmfa.labels.${l}`),
      ...[0, 1, 2, 3, 4].map((n) => `admin.strength.${n}`),
      ...REGIONS.map((r) => `regions.${r}`),
      ...EXTRA_SCREENS.flatMap((s) => [`steps.${s}`, `summary.extra_${s}`]),
      ...CHECK_IDS.map((id) => `checkup.names.${id}`),
      ...['pass', 'fail', 'unknown'].map((s) => `checkup.status.${s}`),
      ...['billing', 'operations', 'security'].map((k) => `contacts.kind.${k}`),
      ...['name', 'title', 'email', 'phone'].flatMap((f) => [`contacts.field.${f}`, `contacts.limit.${f}`]),
      ...['read_only', 'power_user', 'custom'].map((p) => `classroom.policy_${p}_hint`),
      ...['users', 'access_keys', 'mfa_devices', 'login_profiles', 'groups'].map((c) => `classroom.counts.${c}`),
      ...['file_loaded', 'file_too_big', 'file_unreadable', 'roster_missing', 'roster_fix_first'].map((k) => `classroom.${k}`),
      'key.must_export_blocked',
      'handoff.exported_cli',
      'handoff.exported_console',
    ];
    for (const key of dynamic) {
      expect(typeof lookup(en, key), key).toBe('string');
      expect(typeof lookup(ko, key), key).toBe('string');
    }
  });

  it('quotes the console labels the handout shows, in Korean', () => {
    const text = JSON.stringify(ko);
    for (const label of ['이메일 주소 확인', '계속(1/5단계)', '개인', '확인 및 계속', 'SMS 전송', '기본 지원 - 무료', '가입 완료', '보안 자격 증명', 'MFA 할당', '인증 관리자 앱', 'QR 코드 표시', '보안 키 보기', 'MFA 코드 1', 'MFA 코드 2', 'MFA 추가', '액세스 키 만들기']) {
      expect(text).toContain(label);
    }
  });
});
