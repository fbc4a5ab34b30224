// A stand-in for the Tauri IPC, injected into the page by tests/a11y.mjs
// with page.addInitScript (never part of the app build). Every command
// answers with canned data shaped like the Rust types, so each screen can be
// shown in its interesting states without a backend.
// Playwright sends the function's source to the page, so it must not use
// anything from this module's scope. The argument is { lang: 'en' | 'ko' }.
export function installMockIpc(options) {
  // The clean-up screen's sign-in confirmation, remembered as the engine's journal would.
  let adminSignedIn = false;
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
  let checkupExportAttempts = 0;
  let identityCenterCalls = 0;
  const pick = (ko, en) => (lang === 'ko' ? ko : en);

  // --- event plugin: listeners by event name, so commands can emit progress ---
  const listeners = new Map();
  let nextEventId = 1;
  function emit(event, payload) {
    for (const [eventId, handlerId] of listeners.get(event) ?? []) {
      callbacks.get(handlerId)?.({ event, id: eventId, payload });
    }
  }
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // --- checkup: every status, a fix step, a console link, details ---
  const checks = () => [
    {
      id: 'root_mfa',
      status: 'pass',
      why: pick('루트 사용자는 계정의 모든 것을 할 수 있어, 암호만으로 지키기에는 너무 위험합니다.', 'The root user can do anything in the account; a password alone is too weak a lock for it.'),
      fix: pick('루트로 로그인해 보안 자격 증명에서 MFA를 할당하세요.', 'Sign in as root and assign an MFA device under Security credentials.'),
      fix_step: 'root_mfa',
      fix_url: 'https://console.aws.amazon.com/iam/home#/security_credentials',
      detail: null,
    },
    {
      id: 'root_access_key',
      status: 'fail',
      why: pick('루트 액세스 키가 새면 계정 전체를 잃습니다. 루트 키는 없어야 합니다.', 'A leaked root access key loses the whole account; root should have none.'),
      fix: pick('정리 단계에서 임시 루트 키를 삭제하거나, 보안 자격 증명에서 지우세요.', 'Delete the temporary root key in the Clean up step, or under Security credentials.'),
      fix_step: 'bootstrap_cleanup',
      fix_url: 'https://console.aws.amazon.com/iam/home#/security_credentials',
      detail: null,
    },
    {
      id: 'password_policy',
      status: 'fail',
      why: pick('강한 암호 정책이 있어야 쉬운 암호로 IAM 사용자가 뚫리지 않습니다.', 'A strong password policy keeps IAM users from choosing guessable passwords.'),
      fix: pick('관리자 사용자 단계에서 암호 정책을 켜세요.', 'Turn on the password policy in the Admin user step.'),
      fix_step: 'admin_user',
      fix_url: null,
      detail: pick('암호 정책이 없습니다.', 'No password policy is set.'),
    },
    {
      id: 'console_users_mfa',
      status: 'unknown',
      why: pick('콘솔 암호가 있는 사용자는 MFA가 있어야 암호가 새도 안전합니다.', 'Every user with a console password needs MFA, so a leaked password is not enough to get in.'),
      fix: pick('관리자 MFA 단계에서 MFA를 켜세요.', 'Turn on MFA in the Admin MFA step.'),
      fix_step: 'user_mfa',
      fix_url: null,
      detail: pick('자격 증명 보고서를 읽을 수 없습니다.', 'The credential report could not be read.'),
    },
    {
      id: 'access_keys_rotated',
      status: 'pass',
      why: pick('90일 넘은 액세스 키는 어딘가에 새어 있을 가능성이 커집니다.', 'The older an access key, the likelier it has leaked somewhere; rotate within 90 days.'),
      fix: pick('새 키를 만들어 바꾼 뒤 옛 키를 지우세요.', 'Create a new key, switch to it, then delete the old one.'),
      fix_step: 'access_key',
      fix_url: null,
      detail: null,
    },
    {
      id: 'budget_exists',
      status: 'fail',
      why: pick('예산 알림이 없으면 예상 못 한 요금을 청구서로 처음 알게 됩니다.', 'Without a budget alert, the first you hear of a surprise charge is the bill.'),
      fix: pick('예산 알림 단계에서 월 예산을 만드세요.', 'Create a monthly budget in the Budget step.'),
      fix_step: 'budget',
      fix_url: null,
      detail: null,
    },
    {
      id: 'new_future_check',
      status: 'unknown',
      why: pick('앱이 아직 모르는 항목입니다.', 'A check the UI does not know yet.'),
      fix: pick('나중에 다시 확인하세요.', 'Look again later.'),
      fix_step: 'somewhere_unknown',
      fix_url: null,
      detail: null,
    },
  ];

  // --- classroom: a tiny roster parser with the engine's codes ---
  function parseRoster(text) {
    const students = [];
    const problems = [];
    const seen = new Map();
    let first = true;
    text.replace(/^\uFEFF/, '').split('\n').forEach((raw, index) => {
      const line = index + 1;
      if (raw.trim() === '') return;
      const fields = raw.split(',').map((f) => f.trim());
      if (first && ['user name', 'username', '사용자 이름', '아이디'].includes(fields[0].toLowerCase())) {
        first = false;
        return;
      }
      first = false;
      const name = fields[0];
      if (fields.length > 3) {
        problems.push({ line, code: 'validation.roster_too_many_fields', message: pick("한 줄에 '사용자 이름, 표시 이름, 이메일' 세 칸까지만 쓸 수 있습니다.", 'A line has at most three fields: user name, display name, email.') });
      } else if (!/^[A-Za-z0-9+=,.@_-]{1,64}$/.test(name)) {
        problems.push({ line, code: 'validation.user_name_characters', message: pick('사용자 이름에는 영문자, 숫자, 그리고 + = , . @ _ - 만 쓸 수 있습니다.', 'The user name may contain only letters, digits and + = , . @ _ -') });
      } else if (seen.has(name.toLowerCase())) {
        const firstLine = seen.get(name.toLowerCase());
        problems.push({ line, code: 'validation.roster_duplicate', message: pick(`${firstLine}번째 줄과 같은 사용자 이름입니다(IAM은 대소문자를 구분하지 않습니다).`, `The same user name as line ${firstLine} (IAM ignores letter case).`) });
      } else {
        seen.set(name.toLowerCase(), line);
        students.push({ user_name: name, display_name: fields[1] || null, email: fields[2] || null, line });
      }
    });
    if (problems.length) return { result: 'problems', problems };
    if (!students.length) return { result: 'problems', problems: [{ line: 1, code: 'validation.roster_empty', message: pick('명단에 학생이 없습니다.', 'The roster has no students.') }] };
    return { result: 'ok', students };
  }
  const throttled = () => error('aws.throttled', 'AWS is limiting requests for a moment. Try again shortly; your progress is saved.', 'AWS가 요청을 잠시 제한하고 있습니다. 잠시 후 다시 시도하세요.', true);

  const handlers = {
    app_info: () => ({ version: '0.1.0', practice_endpoint: 'http://127.0.0.1:5000', lang, save_dir: null, code_window_for: null }),
    set_language: () => null,
    first_screen_ready: () => null,
    identity_status: () => ({ status: 'connected', identity }),
    walkthrough_steps: () => steps,
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
    keep_alias: () => ({ outcome: 'already_set_to_this', alias: 'aws-old', sign_in_url: 'https://aws-old.signin.aws.amazon.com/console' }),
    validate_user_name: () => null,
    generate_password: () => 'Xk7#mP2$qR9!vT4&wZ8s',
    check_password: ({ password }) =>
      password.length >= 14 ? null : error('validation.password_policy', 'The password does not meet the account password policy.', '계정의 암호 정책에 맞지 않습니다.'),
    // A user named "by-hand" plays the handout's hand-made admin: adoptable.
    create_admin_user: ({ form }) =>
      form.user_name === 'by-hand' && !form.adopt
        ? { outcome: 'name_taken', existing_user_name: 'by-hand', adoptable: true }
        : {
            outcome: 'ready',
            user_name: form.user_name,
            user_arn: `arn:aws:iam::123456789012:user/${form.user_name}`,
            created_now: form.user_name !== 'by-hand',
            adopted: form.user_name === 'by-hand',
            password_in_keychain: true,
            verified: true,
          },
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
    admin_sign_in: () => ({
      sign_in_url: 'https://aws-hong.signin.aws.amazon.com/console',
      user_name: 'aws.user1',
      mfa_enabled: true,
      confirmed: adminSignedIn,
    }),
    confirm_admin_sign_in: () => {
      adminSignedIn = true;
      return null;
    },
    open_console_tasks: () => ['root_mfa', 'billing_access'],
    reveal_mfa_setup_key: () => 'JBSW Y3DP EHPK 3PXP',
    export_summary: () => null,
    teardown_preview: () => ({ dry_run: true, planned, removed: [], failed: [] }),
    teardown_run: () => ({
      dry_run: false,
      planned,
      removed: planned.slice(1),
      failed: [[planned[0], error('aws.throttled', 'AWS is limiting requests for a moment. Try again shortly; your progress is saved.', 'AWS가 요청을 잠시 제한하고 있습니다. 잠시 후 다시 시도하세요.', true)]],
    }),
    confirm_console_step: () => null,
    budget_explanations: () => [
      { ko: '예산은 알림만 보냅니다. 한도를 넘어도 AWS가 사용을 멈추지 않으니, 알림을 받으면 직접 리소스를 정리하세요.', en: 'A budget only warns you. AWS does not stop anything when you go over, so act on the email yourself.' },
      { ko: 'AWS가 보낸 확인 메일이 오면 수신을 확인해야 알림이 옵니다. 받은편지함과 스팸함을 확인하세요.', en: 'AWS emails the address first; alerts arrive only after you confirm it. Check your inbox and spam folder.' },
    ],
    create_budget: ({ kind, email }) => {
      const name = kind.kind === 'monthly' ? 'aws-setup-monthly' : 'aws-setup-zero-spend';
      const limit_usd = kind.kind === 'monthly' ? kind.limit_usd : '1';
      if (email === 'taken@example.com') return { outcome: 'already_exists', budget: { name, limit_usd } };
      return { outcome: 'created', budget: { name, limit_usd }, email };
    },
    run_checkup: async () => {
      // The real check takes seconds (it waits for the credential report).
      await sleep(1500);
      return checks();
    },
    export_checkup: ({ path, overwrite }) => {
      checkupExportAttempts++;
      if (!overwrite && checkupExportAttempts === 1) {
        throw error('file.exists', `The file ${path} already exists. Choose another name or confirm overwriting.`, `파일 ${path} 이(가) 이미 있습니다. 다른 이름을 고르거나 덮어쓰기를 선택하세요.`);
      }
      return null;
    },
    get_contacts: () => [
      {
        kind: 'billing',
        contact: { name: 'Kim Minsu', title: 'Owner', email: 'billing@example.com', phone: '+82 10-1234-5678' },
        explanation: { ko: '청구서, 결제 실패, 요금 관련 안내를 받습니다.', en: 'Receives invoices, failed-payment notices and other billing messages.' },
      },
      {
        kind: 'operations',
        contact: null,
        explanation: { ko: '서비스 점검, 리전 장애, 운영에 영향을 주는 변경 안내를 받습니다.', en: 'Receives notices of maintenance, Region outages and changes that affect operations.' },
      },
      {
        kind: 'security',
        contact: null,
        explanation: { ko: '키 노출 의심, 악용 신고 같은 보안 알림을 받습니다. 가장 중요한 연락처입니다.', en: 'Receives security notices such as a possibly exposed key or an abuse report. The most important one.' },
      },
    ],
    put_contact: () => null,
    delete_contact: () => null,
    create_partner: ({ userName }) =>
      userName === 'admin'
        ? { outcome: 'name_taken', existing_user_name: 'admin' }
        : {
            outcome: 'ready',
            handoff: { user_name: userName, sign_in_url: 'https://aws-practice.signin.aws.amazon.com/console', access_key_id: 'AKIAEXAMPLEPARTNER01' },
            created_now: true,
          },
    export_partner: () => 'Vq7-Hx2m-Tp9w-Kc4r',
    // Not enabled on the first call (the console guide), ready after "Check again".
    set_up_identity_center: ({ form }) =>
      (identityCenterCalls += 1) === 1
        ? { kind: 'not_enabled', console_url: `https://${form.region}.console.aws.amazon.com/singlesignon/home?region=${form.region}`, region: form.region, organization_created: true }
        : {
            kind: 'ready',
            portal_url: 'https://d-9067c1a2b3.awsapps.com/start',
            user_name: form.user_name,
            account_id: '123456789012',
            permission_set: 'AdministratorAccess',
            profile: form.profile,
            config_path: '/home/minji/.aws/config',
            organization_created: false,
          },
    // Not installed, so the access-key screen shows the installers.
    aws_cli_install: () => ({ installed: false, version: null, v2: false, login: false }),
    check_roster: ({ text }) => parseRoster(text),
    create_class: async ({ settings, roster }) => {
      const parsed = parseRoster(roster);
      if (parsed.result !== 'ok') throw error('validation.roster_empty', 'The roster has no students.', '명단에 학생이 없습니다.');
      const names = parsed.students.map((s) => s.user_name);
      const failedName = names[names.length - 1];
      let done = 0;
      let failed = 0;
      for (const name of names) {
        await sleep(60);
        if (name === failedName) failed++;
        else done++;
        emit('class-progress', { done, failed, remaining: names.length - done - failed });
      }
      return {
        class_id: settings.class_id,
        created: names.slice(1, -1),
        already_done: names.slice(0, 1),
        failed: [{ user_name: failedName, error: throttled() }],
      };
    },
    export_class_handout: ({ classId, dir }) => [`${dir}/${classId}-handout.csv`, `${dir}/${classId}-sheets.html`],
    teardown_class: async ({ confirmed }) => {
      const counts = { users: 4, access_keys: 4, mfa_devices: 0, login_profiles: 4, groups: 1 };
      if (!confirmed) return { dry_run: true, counts, failed: [] };
      for (let i = 1; i <= 4; i++) {
        await sleep(60);
        emit('class-progress', { done: i, failed: 0, remaining: 4 - i });
      }
      return { dry_run: false, counts: { ...counts, users: 3, access_keys: 3, login_profiles: 3, groups: 0 }, failed: [{ user_name: 'park.seoyeon', error: throttled() }] };
    },
    'plugin:event|listen': ({ event, handler }) => {
      const eventId = nextEventId++;
      if (!listeners.has(event)) listeners.set(event, new Map());
      listeners.get(event).set(eventId, handler);
      return eventId;
    },
    'plugin:event|unlisten': ({ event, eventId }) => {
      listeners.get(event)?.delete(eventId);
      return null;
    },
    'plugin:dialog|open': () => '/home/user/class-handout',
    'plugin:opener|open_url': () => null,
    'plugin:dialog|save': ({ options }) => `/home/user/${options?.defaultPath ?? 'export'}`,
    'plugin:clipboard-manager|write_text': () => null,
    'plugin:clipboard-manager|clear': () => null,
  };

  const callbacks = new Map();
  let nextId = 1;
  window.__MOCK_IPC_CALLS__ = [];
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener() {} };
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
