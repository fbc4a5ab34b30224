import { describe, expect, it } from 'vitest';
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import { CONSOLE_TERMS, termKeys, type TermsScreen } from './consoleTerms';
import { lookup } from './i18n/keys';

/**
 * The console labels the app shows, as the Korean handouts quote them.
 * Copied from /work/shared/reference/walkthrough.md ("The documented
 * walkthrough", seeds 000, 001 and 003); where that summary abbreviates a
 * label (it writes "계속 (1/5)"), the handout's own spelling is used
 * (seed 001: "계속(1/5단계)"). CI runs on a clean clone, so the list lives here.
 */
const HANDOUT_LABELS = [
  // 1. Signup (seed 001; seed 003 for the support plan)
  '이메일 주소 확인',
  '계속(1/5단계)',
  '개인 - 자체 프로젝트의 경우',
  '계속(2/5단계)',
  '확인 및 계속(3/5단계)',
  'SMS 전송(4/5단계)',
  '대한민국 (+82)',
  '기본 지원 - 무료',
  '가입 완료',
  // 2. Root MFA, and 5. IAM user MFA ("Authenticator app" is English in the Korean console)
  '보안 자격 증명',
  'MFA 할당',
  'MFA 디바이스 할당',
  'Authenticator app',
  'QR 코드 표시',
  '보안 키 보기',
  'MFA 코드 1',
  'MFA 코드 2',
  'MFA 추가',
  'Google OTP',
  'Duo Mobile',
  // 3. Account alias
  'IAM 대시보드',
  '별칭 생성',
  // 4. Admin IAM user
  '사용자 생성',
  'AWS Management Console에 대한 사용자 액세스 권한 제공',
  'IAM 사용자를 생성하고 싶음',
  '사용자 지정 암호',
  '사용자는 다음 로그인 시 새 암호를 생성해야 합니다 - 권장',
  '직접 정책 연결',
  '검토 및 생성',
  '암호 검색',
  '.csv 파일 다운로드',
  // 6. Sign in as the IAM user
  'IAM 사용자',
  '계정 ID(12자리) 또는 계정 별칭',
  '결제 대시보드',
  // 7. Billing access (root only)
  '결제 정보에 대한 IAM 사용자 및 역할 액세스',
  'IAM 액세스 활성화',
  // 8. Access key
  '액세스 키 만들기',
  '설명 태그 값',
  // Seed 000: the billing partner's invitation
  '통합 결제 요청 수락',
];

describe('the words on the projector', () => {
  it('every console label the handouts quote appears in the Korean catalogue', () => {
    const text = JSON.stringify(ko);
    const missing = HANDOUT_LABELS.filter((label) => !text.includes(label));
    expect(missing).toEqual([]);
  });

  it('the partner user is never called read-only', () => {
    // Everything said about the partner user, except the sentence that denies it.
    const partnerTexts = (catalogue: typeof ko | typeof en) => {
      const { not_read_only: denial, ...preset } = catalogue.partner_preset;
      expect(denial).toContain('AWSSupportAccess');
      return [JSON.stringify(catalogue.partner), JSON.stringify(preset), catalogue.summary.extra_partner].join(' ').toLowerCase();
    };
    expect(partnerTexts(ko).includes('읽기 전용'), 'ko').toBe(false);
    expect(partnerTexts(en).includes('read-only'), 'en').toBe(false);
  });

  it('every screen term has a label and a meaning in both languages', () => {
    for (const screen of Object.keys(CONSOLE_TERMS) as TermsScreen[]) {
      const keys = termKeys(screen);
      expect(keys.length).toBeGreaterThan(0);
      for (const { label, means } of keys) {
        for (const catalogue of [ko, en]) {
          expect(typeof lookup(catalogue, label), label).toBe('string');
          expect(typeof lookup(catalogue, means), means).toBe('string');
        }
      }
    }
  });

  it('the admin screen quotes the three labels the handout shows', () => {
    const labels = termKeys('admin_user').map((t) => lookup(ko, t.label));
    expect(labels).toContain('사용자 지정 암호');
    expect(labels).toContain('사용자는 다음 로그인 시 새 암호를 생성해야 합니다 - 권장');
    expect(labels).toContain('직접 정책 연결');
  });

  it('the MFA screen shows "Authenticator app" in English beside the Korean', () => {
    const [app] = termKeys('user_mfa').filter((t) => t.id === 'authenticator_app');
    expect(lookup(ko, app!.label)).toBe('Authenticator app');
    expect(lookup(ko, app!.means)).toContain('인증 관리자 앱');
  });

  it('keys built at run time by the issue-12 components exist', () => {
    const dynamic = [
      ...['billing', 'name', 'email', 'password', 'close'].flatMap((t) => [`root_only.${t}_name`, `root_only.${t}_where`, `root_only.${t}_when`]),
      ...['keeps_manual', 'keeps_root', 'keeps_account', 'close_s1', 'close_s2', 'close_s3', 'close_s4'].map((k) => `finish.${k}`),
      ...['means_root', 'means_90_days', 'means_bill', 'means_domains', 'means_marketplace', 'means_email', 'means_mfa'].map((k) => `finish.${k}`),
      ...['payment', 'bank', 'resume', 'browser', 'spam'].flatMap((k) => [`signup_help.${k}`, `signup_help.${k}_fix`]),
      ...['case_s1', 'case_s2', 'case_s3', 'case_s4'].map((k) => `signup_help.${k}`),
      ...['seed', 'strict'].flatMap((p) => [`partner_preset.${p}_name`, `partner_preset.${p}_can`]),
    ];
    for (const key of dynamic) {
      expect(typeof lookup(ko, key), key).toBe('string');
      expect(typeof lookup(en, key), key).toBe('string');
    }
  });
});
