// The handout's student, in the release app, in both languages, against moto
// with IAM auth on. Half the handout was done by hand before the app starts
// (an alias, and aws.user1 with AdministratorAccess attached directly and a
// key): both are taken over. No screen names an internal step id; the clean-up refuses
// while the admin has no MFA and until the admin's sign-in is confirmed;
// "use this computer", pressed first on a fresh MFA screen, turns MFA on; and
// the billing check waits for the admin's key, then shows its answer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP, Session, startDriver, startMoto } from './harness.mjs';
import { awsCli, motoAuth, seedAdmin } from './aws.mjs';

// Every step id with an underscore: a word like "alias" could be plain text.
const STEP_IDS = /\b(account_signup|root_mfa|admin_user|user_mfa|billing_access|access_key|bootstrap_cleanup)\b/;

for (const lang of ['ko', 'en']) {
  describe(`the handout's student in ${lang === 'ko' ? 'Korean' : 'English'}`, () => {
    let moto, driver, session, handKey;
    const screen = (id) => session.waitFor(`[data-testid="screen-${id}"]`);
    const enabled = async (css) => session.cmd('GET', `/element/${await session.find(css)}/enabled`);
    const attribute = async (css, name) => session.cmd('GET', `/element/${await session.find(css)}/attribute/${name}`);

    before(async () => {
      assert.ok(APP && existsSync(APP), 'AWS_SETUP_APP must point at the built app');
      moto = await startMoto();
      const bootstrap = seedAdmin(moto.url, 'bootstrap-admin');
      // The student's own work, by hand: the handout's user and alias.
      const handMade = seedAdmin(moto.url, 'aws.user1');
      handKey = handMade;
      const seeder = { AWS_ENDPOINT_URL: moto.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: handMade.id, AWS_SECRET_ACCESS_KEY: handMade.secret };
      awsCli(seeder, ['iam', 'create-account-alias', '--account-alias', `aws-by-hand-${lang}`]);
      await motoAuth(moto.url, true);
      const home = mkdtempSync(path.join(tmpdir(), `aws-setup-handout-${lang}-`));
      driver = await startDriver({
        AWS_ENDPOINT_URL: moto.url,
        AWS_REGION: 'us-east-1',
        HOME: home,
        XDG_DATA_HOME: path.join(home, '.local/share'),
        AWS_SETUP_KEYCHAIN_SERVICE: `aws-setup-handout-${lang}`,
        LANG: lang === 'ko' ? 'ko_KR.UTF-8' : 'en_US.UTF-8',
      });
      session = await Session.open(driver);

      await session.press('[data-testid="start"]');
      await screen('account_signup');
      await session.press('[data-testid="confirm-console-step"]');
      await screen('root_mfa');
      await session.press('[data-testid="confirm-console-step"]');
      await screen('identity');
      await session.type('[data-testid="connect-access-key-id"]', bootstrap.id);
      await session.type('[data-testid="connect-secret"]', bootstrap.secret);
      await session.press('[data-testid="connect-submit"]');
      await session.waitFor('[data-testid="connect-arn"]');
      await session.press('[data-testid="next"]');
      await screen('alias');
      await session.type('[data-testid="alias-input"]', `aws-handout-${lang}`);
      await session.press('[data-testid="alias-submit"]');
      await session.waitFor('[data-testid="alias-other-exists"]');
      await session.press('[data-testid="alias-keep"]');
      await session.waitFor('[data-testid="alias-done"]');
      await session.press('[data-testid="next"]');
      await screen('admin_user');
      await session.press('[data-testid="admin-submit"]');
      await session.waitFor('[data-testid="admin-adoptable"]');
      await session.press('[data-testid="admin-adopt"]');
      await session.waitFor('[data-testid="admin-adopted"]');
    });

    after(async () => {
      await session?.close();
      driver?.stop();
      moto?.stop();
    });

    it('shows no internal step id on any screen', async () => {
      const navs = await session.cmd('POST', '/elements', { using: 'css selector', value: '[data-testid^="nav-"]' });
      const ids = [];
      for (const nav of navs) ids.push(await session.cmd('GET', `/element/${Object.values(nav)[0]}/attribute/data-testid`));
      assert.ok(ids.length >= 11, `every step is in the list: ${ids}`);
      for (const id of ids) {
        await session.press(`[data-testid="${id}"]`);
        await session.settle();
        const text = await session.cmd('POST', '/execute/sync', { script: 'return document.body.innerText;', args: [] });
        assert.doesNotMatch(text, STEP_IDS, `${id} shows an internal step id`);
      }
    });

    it('checks billing once the admin key exists, refuses the clean-up until the admin is proven, and turns MFA on in one press', async () => {
      await session.press('[data-testid="nav-billing_access"]');
      await screen('billing_access');
      await session.waitFor('[data-testid="billing-probe-result"]');
      assert.equal(await attribute('[data-testid="billing-probe-result"]', 'data-result'), 'waits_for_admin_key');

      await session.press('[data-testid="nav-bootstrap_cleanup"]');
      await screen('bootstrap_cleanup');
      await session.waitFor('[data-testid="cleanup-needs-mfa"]').catch(async (err) => {
        await session.screenshot(`handout-${lang}-cleanup-without-mfa`);
        throw err;
      });
      assert.equal(await enabled('[data-testid="cleanup-run"]'), false, 'no deletion while the admin has no MFA');
      await session.press('[data-testid="cleanup-go-mfa"]');

      await screen('user_mfa');
      assert.ok(!(await session.exists('[data-testid="mfa-qr"]')), 'a fresh MFA screen: no device yet');
      await session.press('[data-testid="mfa-this-computer"]');
      await session.waitFor('[data-testid="mfa-done"]', 60000);

      await session.press('[data-testid="nav-access_key"]');
      await session.press('[data-testid="key-create"]');
      await session.waitFor('[data-testid="key-ready"]', 90000);
      await session.waitFor('[data-testid="key-billing-check"]', 60000);
      const answered = await attribute('[data-testid="key-billing-check"]', 'data-result');
      assert.ok(['looks_enabled', 'blocked', 'not_confirmed'].includes(answered), answered);
      await session.press('[data-testid="nav-billing_access"]');
      await session.waitFor('[data-testid="billing-probe-result"]');
      assert.equal(await attribute('[data-testid="billing-probe-result"]', 'data-result'), answered, 'the kept answer');

      await session.press('[data-testid="nav-bootstrap_cleanup"]');
      await session.waitFor('[data-testid="cleanup-run-locked"]');
      assert.equal(await enabled('[data-testid="cleanup-run"]'), false, 'no deletion before the sign-in is confirmed');
      await session.press('[data-testid="cleanup-confirm-signin"]');
      await session.waitFor('[data-testid="cleanup-signin-confirmed"]');
      await session.press('[data-testid="cleanup-run"]');
      await session.waitFor('[data-testid="cleanup-result"]', 60000);
      assert.equal(await attribute('[data-testid="cleanup-result"]', 'data-outcome'), 'deleted');
      // What the student made stays as it was: the alias, the direct policy, their own key.
      const asStudent = { AWS_ENDPOINT_URL: moto.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: handKey.id, AWS_SECRET_ACCESS_KEY: handKey.secret };
      assert.deepEqual(awsCli(asStudent, ['iam', 'list-account-aliases']).AccountAliases, [`aws-by-hand-${lang}`]);
      const policies = awsCli(asStudent, ['iam', 'list-attached-user-policies', '--user-name', 'aws.user1']).AttachedPolicies;
      assert.deepEqual(policies.map((p) => p.PolicyName), ['AdministratorAccess']);
      const keys = awsCli(asStudent, ['iam', 'list-access-keys', '--user-name', 'aws.user1']).AccessKeyMetadata;
      assert.ok(keys.some((k) => k.AccessKeyId === handKey.id) && keys.length === 2, 'their key and the app\'s');
      await session.screenshot(`handout-${lang}-cleanup`);
    });
  });
}
