// IAM Identity Center for one account, in the release app, once in Korean
// and once in English: a mistyped email is caught in the window before any
// call, then the admin becomes an Identity Center user with the
// AdministratorAccess permission set, and `~/.aws/config` gains the
// `aws sso login` profile. Checked through moto with the real AWS CLI v2.
// moto makes an Identity Center instance for every account by itself, so
// "not enabled yet" is covered by tests/cli/identity_center.rs (fault proxy).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP, Session, startDriver, startMoto } from './harness.mjs';
import { awsCli, seedAdmin } from './aws.mjs';

for (const lang of ['ko', 'en']) {
  describe(`Identity Center for one account in ${lang === 'ko' ? 'Korean' : 'English'}`, () => {
    let moto, driver, session, home, reader;

    before(async () => {
      assert.ok(APP && existsSync(APP), 'AWS_SETUP_APP must point at the built app');
      moto = await startMoto();
      const owner = seedAdmin(moto.url, 'owner');
      reader = { AWS_ENDPOINT_URL: moto.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: owner.id, AWS_SECRET_ACCESS_KEY: owner.secret };
      home = mkdtempSync(path.join(tmpdir(), `aws-setup-identity-center-${lang}-`));
      driver = await startDriver({
        AWS_ENDPOINT_URL: moto.url,
        AWS_REGION: 'us-east-1',
        HOME: home,
        XDG_DATA_HOME: path.join(home, '.local/share'),
        AWS_SETUP_KEYCHAIN_SERVICE: `aws-setup-identity-center-${lang}`,
        LANG: lang === 'ko' ? 'ko_KR.UTF-8' : 'en_US.UTF-8',
      });
      session = await Session.open(driver);
      await session.connectFromStart(owner);
    });

    after(async () => {
      await session?.close();
      driver?.stop();
      moto?.stop();
    });

    it('stops a mistyped email in the window, then makes the Identity Center admin and its CLI profile', async () => {
      await session.press('[data-testid="nav-identity_center"]');
      await session.waitFor('[data-testid="screen-identity_center"]');
      await session.type('[data-testid="ic-user"]', 'minji.admin');
      await session.type('[data-testid="ic-given"]', 'Minji');
      await session.type('[data-testid="ic-family"]', 'Kim');
      await session.type('[data-testid="ic-email"]', 'minji@example');
      await session.press('[data-testid="ic-submit"]');
      const problem = await session.waitForText('#ic-email-problem', (t) => t.trim() !== '');
      assert.match(problem, lang === 'ko' ? /이메일 주소를 입력하세요/ : /Type an email address/);
      // Nothing was sent: the organization, the first thing made, is not there.
      assert.throws(() => awsCli(reader, ['organizations', 'describe-organization']), /AWSOrganizationsNotInUseException/);

      await session.type('[data-testid="ic-email"]', 'minji@example.com');
      await session.press('[data-testid="ic-submit"]');
      await session.waitFor('[data-testid="ic-ready"]', 60000);
      const focused = await session.cmd('POST', '/execute/sync', { script: 'return document.activeElement?.id ?? null;', args: [] });
      assert.equal(focused, 'ic-ready-heading', 'the answer below the form takes the focus');
      assert.match(await session.text('[data-testid="ic-ready"]'), lang === 'ko' ? /minji\.admin 사용자가 IAM Identity Center로/ : /minji\.admin can sign in through IAM Identity Center/);
      assert.match(await session.text('[data-testid="ic-portal"]'), /^https:\/\/d-.*\.awsapps\.com\/start$/);
      assert.equal(await session.text('[data-testid="ic-cli-command"]'), 'aws sso login --profile aws-setup-sso');
      await session.screenshot(`identity-center-${lang}`);

      // Through moto, in the screen's default region (Seoul): the user carries
      // the app's marker, the permission set is assigned to this account.
      const seoul = { ...reader, AWS_REGION: 'ap-northeast-2' };
      const instance = awsCli(seoul, ['sso-admin', 'list-instances']).Instances[0];
      const users = awsCli(seoul, ['identitystore', 'list-users', '--identity-store-id', instance.IdentityStoreId]).Users;
      assert.deepEqual(
        users.map((u) => [u.UserName, u.UserType]),
        [['minji.admin', 'aws-setup-admin']],
      );
      const sets = awsCli(seoul, ['sso-admin', 'list-permission-sets', '--instance-arn', instance.InstanceArn]).PermissionSets;
      assert.equal(sets.length, 1);
      const account = awsCli(reader, ['sts', 'get-caller-identity']).Account;
      const assigned = awsCli(seoul, [
        'sso-admin', 'list-account-assignments',
        '--instance-arn', instance.InstanceArn, '--account-id', account, '--permission-set-arn', sets[0],
      ]).AccountAssignments;
      assert.deepEqual(
        assigned.map((a) => [a.PrincipalType, a.PrincipalId]),
        [['USER', users[0].UserId]],
      );
      const config = readFileSync(path.join(home, '.aws', 'config'), 'utf8');
      assert.match(config, /^\[sso-session aws-setup\]$/m);
      assert.match(config, /^\[profile aws-setup-sso\]$/m);
      assert.match(config, /^sso_session = aws-setup$/m);
      assert.match(config, new RegExp(`^sso_account_id = ${account}$`, 'm'));
      assert.match(config, /^sso_region = ap-northeast-2$/m);
    });
  });
}
