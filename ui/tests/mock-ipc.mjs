// A stand-in for the Tauri IPC, injected into the page by tests/a11y.mjs
// with page.addInitScript (never part of the app build). Every command
// answers with canned data shaped like the Rust types, so each screen can be
// shown in its interesting states without a backend.
// Playwright sends the function's source to the page, so it must not use
// anything from this module's scope. The argument is { lang: 'en' | 'ko' }.
export function installMockIpc(options) {
  const lang = options.lang;

  // A plain SVG that looks like a QR code: deterministic modules on a grid.
  function fakeQr() {
    const n = 25;
    let d = '';
    let seed = 7;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const finder = (x < 7 && y < 7) || (x >= n - 7 && y < 7) || (x < 7 && y >= n - 7);
        const dark = finder ? x % 6 === 0 || y % 6 === 0 || (x % 6 >= 2 && x % 6 <= 4 && y % 6 >= 2 && y % 6 <= 4) : seed % 3 === 0;
        if (dark) d += `M${x + 4} ${y + 4}h1v1h-1z`;
      }
    }
    return `<?xml version="1.0" standalone="yes"?><svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="264" height="264" viewBox="0 0 33 33" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h33v33H0z"/><path fill="#000000" d="${d}"/></svg>`;
  }

  const error = (code, en, ko, retryable = false) => ({ code, message: lang === 'ko' ? ko : en, retryable });
  const identity = {
    account_id: '123456789012',
    arn: 'arn:aws:iam::123456789012:root',
    user_id: '123456789012',
    caller: { kind: 'root' },
  };
  const account = {
    root_mfa_enabled: true,
    root_access_key_present: true,
    users: 0,
    mfa_devices_in_use: 1,
    password_policy: null,
  };
  const steps = [
    { id: 'account_signup', console_only: true, state: { state: 'done', verified: false } },
    { id: 'root_mfa', console_only: true, state: { state: 'done', verified: true } },
    { id: 'identity', console_only: false, state: { state: 'done', verified: true } },
    { id: 'alias', console_only: false, state: { state: 'skipped' } },
    { id: 'admin_user', console_only: false, state: { state: 'done', verified: true } },
    { id: 'user_mfa', console_only: false, state: { state: 'todo' } },
    { id: 'billing_access', console_only: true, state: { state: 'needs_you' } },
    { id: 'access_key', console_only: false, state: { state: 'todo' } },
    { id: 'handoff', console_only: false, state: { state: 'todo' } },
    { id: 'bootstrap_cleanup', console_only: false, state: { state: 'todo' } },
    { id: 'checkup', console_only: false, state: { state: 'todo' } },
  ];
  const planned = [
    { type: 'access_key', user_name: 'aws.user1', access_key_id: 'AKIAEXAMPLEADMIN0001' },
    { type: 'mfa_device', user_name: 'aws.user1', serial_number: 'arn:aws:iam::123456789012:mfa/aws.user1' },
    { type: 'login_profile', user_name: 'aws.user1' },
    { type: 'group_membership', group_name: 'Administrators', user_name: 'aws.user1' },
    { type: 'group_policy', group_name: 'Administrators', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
    { type: 'group', group_name: 'Administrators' },
    { type: 'user', user_name: 'aws.user1' },
    { type: 'alias', alias: 'aws-practice' },
    { type: 'password_policy' },
    { type: 'aws_cli_profile', profile: 'aws.user1' },
    { type: 'keychain_entry', account: 'access-key/123456789012/aws.user1' },
  ];
  let exportAttempts = 0;

  const handlers = {
    app_info: () => ({ version: '0.1.0', practice_endpoint: 'http://127.0.0.1:5000', lang }),
    set_language: () => null,
    first_screen_ready: () => null,
    identity_status: () => ({ status: 'connected', identity }),
    walkthrough_steps: () => steps,
    summary: () => steps,
    list_profiles: () => ['default', 'work'],
    connect_with_key: () => ({
      identity,
      bootstrap: { kind: 'temporary_key', access_key_id: 'AKIAEXAMPLEROOT00001', user_name: null, deleted: false },
      account,
    }),
    connect_with_profile: () => ({ identity, bootstrap: { kind: 'existing', description: 'profile default' }, account }),
    account_status: () => account,
    root_mfa_helper: () => ({ qr_svg: fakeQr(), code: '492039', seconds_left: 17 }),
    root_mfa_code: () => ({ qr_svg: fakeQr(), code: '118204', seconds_left: 30 }),
    root_mfa_check_codes: () => null,
    root_mfa_backup: () => 'root-mfa/123456789012',
    root_mfa_export_png: () => null,
    validate_alias: ({ alias }) =>
      /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(alias) && !/^\d+$/.test(alias)
        ? null
        : error('validation.alias_hyphens', 'The account alias cannot start or end with a hyphen.', '계정 별칭은 하이픈으로 시작하거나 끝날 수 없습니다.'),
    set_alias: ({ alias, replaceExisting }) => {
      if (alias === 'aws-taken') return { outcome: 'taken', alias, suggestions: ['aws-taken-9012', 'aws-taken-2025', 'aws-taken-4821'] };
      if (alias === 'aws-other' && !replaceExisting) return { outcome: 'other_alias_exists', current: 'aws-old', sign_in_url: 'https://aws-old.signin.aws.amazon.com/console' };
      return { outcome: 'created', alias, sign_in_url: `https://${alias}.signin.aws.amazon.com/console` };
    },
    validate_user_name: () => null,
    generate_password: () => 'Xk7#mP2$qR9!vT4&wZ8s',
    check_password: ({ password }) =>
      password.length >= 14 ? null : error('validation.password_policy', 'The password does not meet the account password policy.', '계정의 암호 정책에 맞지 않습니다.'),
    create_admin_user: ({ form }) => ({
      outcome: 'ready',
      user_name: form.user_name,
      user_arn: `arn:aws:iam::123456789012:user/${form.user_name}`,
      created_now: true,
      password_in_keychain: true,
      verified: true,
    }),
    reveal_admin_password: () => 'Xk7#mP2$qR9!vT4&wZ8s',
    begin_user_mfa: () => ({ outcome: 'scan_qr', serial_number: 'arn:aws:iam::123456789012:mfa/aws.user1', qr_svg: fakeQr() }),
    finish_user_mfa: () => true,
    this_computer_mfa: () => true,
    billing_guide: () => ({
      url: 'https://console.aws.amazon.com/billing/home#/account',
      why: {
        ko: '처음에는 루트 사용자만 결제 정보를 볼 수 있습니다. 이 설정을 켜야 관리자 IAM 사용자도 청구서와 비용을 확인할 수 있어, 루트로 로그인할 일이 줄어듭니다.',
        en: 'At first only the root user can see billing. With this switch on, your admin IAM user can check bills and costs too, so you rarely need to sign in as root.',
      },
      steps: [
        { ko: '루트 사용자로 AWS 콘솔에 로그인합니다.', en: 'Sign in to the AWS console as the root user.' },
        { ko: "오른쪽 위 계정 이름을 누르고 '계정'을 고릅니다.", en: "Click your account name at the top right and choose 'Account'." },
        { ko: "'결제 정보에 대한 IAM 사용자 및 역할 액세스' 항목으로 내려가 '편집'을 누릅니다.", en: "Scroll to 'IAM user and role access to Billing information' and click 'Edit'." },
        { ko: "'IAM 액세스 활성화'에 체크하고 '업데이트'를 누릅니다.", en: "Check 'Activate IAM Access' and click 'Update'." },
      ],
    }),
    billing_probe: () => ({
      result: 'not_confirmed',
      reason: {
        ko: 'Cost Explorer를 한 번도 열지 않아 확인할 수 없습니다.',
        en: 'Cost Explorer was never opened in this account, so the check cannot tell.',
      },
    }),
    create_access_key: ({ profile }) => ({ outcome: 'ready', access_key_id: 'AKIAEXAMPLEADMIN0001', profile, created_now: true }),
    replace_lost_access_key: ({ profile }) => ({ outcome: 'ready', access_key_id: 'AKIAEXAMPLEADMIN0002', profile, created_now: true }),
    reveal_secret_once: () => 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    configure_cli_profile: () => '/home/user/.aws/config',
    write_plaintext_credentials: () => '/home/user/.aws/credentials',
    export_csv: ({ path, overwrite }) => {
      exportAttempts++;
      if (!overwrite && exportAttempts === 1) {
        throw error('file.exists', `The file ${path} already exists. Choose another name or confirm overwriting.`, `파일 ${path} 이(가) 이미 있습니다. 다른 이름을 고르거나 덮어쓰기를 선택하세요.`);
      }
      return null;
    },
    cleanup_bootstrap: () => ({ outcome: 'deleted', access_key_id: 'AKIAEXAMPLEROOT00001', verified: true }),
    export_summary: () => null,
    teardown_preview: () => ({ dry_run: true, planned, removed: [], failed: [] }),
    teardown_run: () => ({
      dry_run: false,
      planned,
      removed: planned.slice(1),
      failed: [[planned[0], error('aws.throttled', 'AWS is limiting requests for a moment. Try again shortly; your progress is saved.', 'AWS가 요청을 잠시 제한하고 있습니다. 잠시 후 다시 시도하세요.', true)]],
    }),
    confirm_console_step: () => null,
    'plugin:opener|open_url': () => null,
    'plugin:dialog|save': ({ options }) => `/home/user/${options?.defaultPath ?? 'export'}`,
    'plugin:clipboard-manager|write_text': () => null,
    'plugin:clipboard-manager|clear': () => null,
  };

  const callbacks = new Map();
  let nextId = 1;
  window.__MOCK_IPC_CALLS__ = [];
  window.__TAURI_INTERNALS__ = {
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
    transformCallback(callback) {
      const id = nextId++;
      callbacks.set(id, callback);
      return id;
    },
    unregisterCallback(id) {
      callbacks.delete(id);
    },
    convertFileSrc: (path) => path,
    async invoke(cmd, args = {}) {
      window.__MOCK_IPC_CALLS__.push(cmd);
      const handler = handlers[cmd];
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (!handler) throw `command ${cmd} not found`;
      return handler(args);
    },
  };
}
