// The whole wizard in the release app, once in Korean and once in English,
// against moto with IAM auth on. A moto admin user's key plays the temporary
// root key. Console-only steps are confirmed by hand; MFA codes come from the
// QR code on screen; exports go to a temp folder. Then the result is checked
// through moto's API, the keychain, and the real AWS CLI v2.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP, Session, startDriver, startMoto } from './harness.mjs';
import { awsCli, motoAuth, seedAdmin, seedFromQrPng, twoCodes } from './aws.mjs';

const ROOT_SEED = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

for (const lang of ['ko', 'en']) {
  describe(`the whole wizard in ${lang === 'ko' ? 'Korean' : 'English'}`, () => {
    let moto, driver, session, bootstrap, verifier, home, saveDir, env;
    const shots = [];
    const shot = async (name) => shots.push(await session.screenshot(`wizard-${lang}-${String(shots.length + 1).padStart(2, '0')}-${name}`));
    const screen = (id) => session.waitFor(`[data-testid="screen-${id}"]`);

    before(async () => {
      assert.ok(APP && existsSync(APP), 'AWS_SETUP_APP must point at the built app');
      moto = await startMoto();
      bootstrap = seedAdmin(moto.url, 'bootstrap-admin');
      verifier = seedAdmin(moto.url, 'verifier');
      await motoAuth(moto.url, true);
      home = mkdtempSync(path.join(tmpdir(), `aws-setup-gui-${lang}-`));
      saveDir = path.join(home, 'exports');
      execFileSync('mkdir', ['-p', saveDir]);
      env = {
        AWS_ENDPOINT_URL: moto.url,
        AWS_REGION: 'us-east-1',
        HOME: home,
        XDG_DATA_HOME: path.join(home, '.local/share'),
        AWS_SETUP_KEYCHAIN_SERVICE: `aws-setup-gui-${lang}`,
        AWS_SETUP_SAVE_DIR: saveDir,
        LANG: lang === 'ko' ? 'ko_KR.UTF-8' : 'en_US.UTF-8',
      };
      driver = await startDriver(env);
      session = await Session.open(driver);
    });

    after(async () => {
      await session?.close();
      driver?.stop();
      moto?.stop();
    });

    it('goes through every screen', async () => {
      await session.waitFor('[data-testid="start"]');
      assert.equal(await session.text('[data-testid="app-title"]'), lang === 'ko' ? 'AWS 설정 마법사' : 'AWS Setup Wizard');
      await shot('welcome');
      await session.click('[data-testid="start"]');

      await screen('account_signup');
      await shot('account-signup');
      await session.press('[data-testid="confirm-console-step"]');

      await screen('root_mfa');
      await session.type('[data-testid="root-mfa-secret"]', ROOT_SEED);
      await session.press('[data-testid="root-mfa-show"]');
      await session.waitFor('[data-testid="root-mfa-qr"] svg');
      const [r1, r2] = twoCodes(ROOT_SEED);
      await session.type('[data-testid="root-mfa-code1"]', r1);
      await session.type('[data-testid="root-mfa-code2"]', r2);
      await session.press('[data-testid="root-mfa-check"]');
      await session.waitFor('[data-testid="root-mfa-check-ok"]');
      await shot('root-mfa');
      await session.press('[data-testid="confirm-console-step"]');

      await screen('identity');
      // The pasted key is the advanced way; console sign-in comes first.
      await session.press('[data-testid="connect-advanced-toggle"]');
      await session.type('[data-testid="connect-access-key-id"]', bootstrap.id);
      await session.type('[data-testid="connect-secret"]', bootstrap.secret);
      await session.press('[data-testid="connect-submit"]');
      const arn = await session.waitForText('[data-testid="connect-arn"]', (t) => t.length > 0);
      assert.equal(arn, 'arn:aws:iam::123456789012:user/bootstrap-admin');
      await shot('connect');
      await session.press('[data-testid="next"]');

      await screen('alias');
      await session.type('[data-testid="alias-input"]', `aws-gui-${lang}`);
      await session.press('[data-testid="alias-submit"]');
      await session.waitFor('[data-testid="alias-done"]');
      assert.equal(await session.text('[data-testid="alias-sign-in-url"]'), `https://aws-gui-${lang}.signin.aws.amazon.com/console`);
      await shot('alias');
      await session.press('[data-testid="next"]');

      await screen('admin_user');
      await session.press('[data-testid="admin-submit"]');
      await session.waitFor('[data-testid="admin-ready"]');
      await shot('admin-user');
      await session.press('[data-testid="next"]');

      await screen('user_mfa');
      await session.press('[data-testid="mfa-begin"]');
      await session.waitFor('[data-testid="mfa-qr"] svg');
      const seed = seedFromQrPng(await session.pngShowing('[data-testid="mfa-qr"]'), home);
      const [c1, c2] = twoCodes(seed);
      await session.type('[data-testid="mfa-code1"]', c1);
      await session.type('[data-testid="mfa-code2"]', c2);
      await session.press('[data-testid="mfa-submit"]');
      await session.waitFor('[data-testid="mfa-done"]');
      await shot('user-mfa');
      await session.press('[data-testid="next"]');

      await screen('billing_access');
      await shot('billing-access');
      await session.press('[data-testid="confirm-console-step"]');

      await screen('access_key');
      // The handout's plain key (console sign-in is preselected, MFA sessions the middle way).
      await session.press('[data-testid="cli-access-key"]');
      await session.press('[data-testid="key-create"]');
      await session.waitFor('[data-testid="key-ready"]', 90000);
      await session.press('[data-testid="cli-profile"]');
      await session.waitFor('[data-testid="cli-profile-done"]');
      await session.press('[data-testid="export-cli"]');
      await session.waitFor('[data-testid="export-done-cli_import"]');
      await session.press('[data-testid="export-console"]');
      await session.waitFor('[data-testid="export-done-console"]');
      await shot('access-key');
      await session.press('[data-testid="next"]');

      await screen('bootstrap_cleanup');
      // The deletion waits for the admin's own sign-in, confirmed here.
      await session.waitFor('[data-testid="cleanup-run-locked"]');
      await session.press('[data-testid="cleanup-confirm-signin"]');
      await session.waitFor('[data-testid="cleanup-signin-confirmed"]');
      await session.press('[data-testid="cleanup-run"]');
      await session.waitFor('[data-testid="cleanup-result"]');
      await shot('cleanup');
      await session.press('[data-testid="next"]');

      await screen('checkup');
      await session.waitFor('[data-testid="summary-list"]');
      await shot('summary');
    });

    it('runs the checkup and the extras: budget, contacts, partner, classroom', async () => {
      await session.press('[data-testid="checkup-run"]');
      await session.waitFor('[data-testid="checkup-list"]', 60000);
      assert.equal(await session.cmd('GET', `/element/${await session.find('[data-testid="checkup-alias_set"]')}/attribute/data-status`), 'pass');
      await shot('checkup');

      await session.press('[data-testid="nav-budget"]');
      await session.waitFor('[data-testid="screen-budget"]');
      await session.type('[data-testid="budget-email"]', 'owner@example.com');
      await session.press('[data-testid="budget-create"]');
      await session.waitFor('[data-testid="budget-result"]');
      await shot('budget');

      await session.press('[data-testid="nav-contacts"]');
      await session.waitFor('[data-testid="contact-security-name"]');
      await session.type('[data-testid="contact-security-name"]', lang === 'ko' ? '홍길동' : 'Jane Doe');
      await session.type('[data-testid="contact-security-title"]', 'Owner');
      await session.type('[data-testid="contact-security-email"]', 'security@example.com');
      await session.type('[data-testid="contact-security-phone"]', '+82 10-1234-5678');
      await session.press('[data-testid="contact-security-save"]');
      await session.waitFor('[data-testid="contact-security-status"]');
      await shot('contacts');

      await session.press('[data-testid="nav-partner"]');
      await session.press('[data-testid="partner-create"]');
      await session.waitFor('[data-testid="partner-ready"]');
      await session.press('[data-testid="partner-export"]');
      await session.waitForText('[data-testid="partner-zip-password"]', (t) => t.length >= 16);
      await shot('partner');

      await session.press('[data-testid="nav-classroom"]');
      await session.type('[data-testid="class-roster"]', 'user name,display name\nlab01,First\nlab02,Second\nlab03,Third\n');
      await session.waitFor('[data-testid="class-roster-ok"]');
      await session.type('[data-testid="class-id"]', `lab-${lang}`);
      await session.press('[data-testid="class-create"]');
      await session.waitFor('[data-testid="class-report"]', 60000);
      await session.press('[data-testid="class-handout"]');
      await session.waitFor('[data-testid="class-handout-files"]');
      await shot('classroom');
      await session.press('[data-testid="class-teardown-preview"]');
      await session.waitFor('[data-testid="class-teardown-counts"]');
      await session.press('[data-testid="class-teardown-confirm"]');
      await session.waitFor('[data-testid="class-teardown-result"]', 60000);
    });

    it('left AWS, the keychain and the AWS CLI as the user asked', async () => {
      const asVerifier = { ...env, AWS_ACCESS_KEY_ID: verifier.id, AWS_SECRET_ACCESS_KEY: verifier.secret };
      const aliases = awsCli(asVerifier, ['iam', 'list-account-aliases']).AccountAliases;
      assert.deepEqual(aliases, [`aws-gui-${lang}`]);
      const groups = awsCli(asVerifier, ['iam', 'list-groups-for-user', '--user-name', 'aws.user1']).Groups;
      assert.equal(groups[0].GroupName, 'Administrators');
      assert.equal(awsCli(asVerifier, ['iam', 'list-mfa-devices', '--user-name', 'aws.user1']).MFADevices.length, 1);
      const keys = awsCli(asVerifier, ['iam', 'list-access-keys', '--user-name', 'aws.user1']).AccessKeyMetadata;
      assert.equal(keys.length, 1);
      assert.equal(awsCli(asVerifier, ['iam', 'list-access-keys', '--user-name', 'bootstrap-admin']).AccessKeyMetadata.length, 0, 'the temporary key was deleted');

      const stored = execFileSync('secret-tool', ['lookup', 'service', env.AWS_SETUP_KEYCHAIN_SERVICE, 'username', 'access-key/aws.user1'], { encoding: 'utf8' });
      assert.ok(stored.includes(keys[0].AccessKeyId), 'the key is in the keychain');

      const who = awsCli(env, ['sts', 'get-caller-identity', '--profile', 'aws.user1']);
      assert.equal(who.Arn, 'arn:aws:iam::123456789012:user/aws.user1');

      const csv = readdir(saveDir).find((f) => f.endsWith('_accessKeys.csv'));
      assert.ok(csv, 'the CLI-import CSV was exported');
      const importHome = mkdtempSync(path.join(tmpdir(), 'aws-import-'));
      awsCli({ ...env, HOME: importHome }, ['configure', 'import', '--csv', `file://${path.join(saveDir, csv)}`]);
      assert.equal(awsCli({ ...env, HOME: importHome }, ['sts', 'get-caller-identity', '--profile', 'aws.user1']).Arn, who.Arn);
      const console = readdir(saveDir).find((f) => f === 'aws.user1_credentials.csv');
      assert.ok(readFileSync(path.join(saveDir, console), 'utf8').includes(`https://aws-gui-${lang}.signin.aws.amazon.com/console`));

      // The extras, as AWS has them now.
      const budgets = awsCli(asVerifier, ['budgets', 'describe-budgets', '--account-id', '123456789012']).Budgets;
      assert.equal(budgets[0].BudgetName, 'aws-setup-monthly');
      const contact = awsCli(asVerifier, ['account', 'get-alternate-contact', '--alternate-contact-type', 'SECURITY']).AlternateContact;
      assert.equal(contact.EmailAddress, 'security@example.com');
      const partnerPolicies = awsCli(asVerifier, ['iam', 'list-attached-user-policies', '--user-name', 'gs-support']).AttachedPolicies.map((p) => p.PolicyName).sort();
      assert.deepEqual(partnerPolicies, ['AWSSupportAccess', 'ReadOnlyAccess']);
      assert.ok(readdir(saveDir).includes('gs-support-credentials.zip') && readdir(saveDir).includes('gs-support-handoff.md'));
      assert.ok(readdir(saveDir).includes(`lab-${lang}-handout.csv`));
      const classUsers = awsCli(asVerifier, ['iam', 'list-users', '--path-prefix', `/class/lab-${lang}/`]).Users;
      assert.equal(classUsers.length, 0, 'the class was torn down');
    });
  });
}

function readdir(dir) {
  return execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
}
