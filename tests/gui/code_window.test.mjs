// The small MFA code window that `credential_process --mfa-session` opens when
// the AWS CLI has no terminal: the app started with `--mfa-session-for
// PROFILE`, a code typed, and the session it started cached in the keychain
// for the AWS CLI's next calls. Once in Korean, once in English. moto's auth
// is off: it refuses every session token while it is on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP, Session, startDriver, startMoto } from './harness.mjs';
import { awsCli, seedAdmin } from './aws.mjs';

for (const lang of ['ko', 'en']) {
  describe(`the MFA code window in ${lang === 'ko' ? 'Korean' : 'English'}`, () => {
    let moto, driver, session, home, env;
    const service = `aws-setup-gui-code-window-${lang}`;

    before(async () => {
      assert.ok(APP && existsSync(APP), 'AWS_SETUP_APP must point at the built app');
      moto = await startMoto();
      const admin = seedAdmin(moto.url, 'aws.user1');
      const seeder = { AWS_ENDPOINT_URL: moto.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: admin.id, AWS_SECRET_ACCESS_KEY: admin.secret };
      const device = awsCli(seeder, ['iam', 'create-virtual-mfa-device', '--virtual-mfa-device-name', 'aws.user1', '--outfile', '/dev/null', '--bootstrap-method', 'Base32StringSeed']);
      const serial = device.VirtualMFADevice.SerialNumber;
      home = mkdtempSync(path.join(tmpdir(), `aws-setup-code-window-${lang}-`));
      mkdirSync(path.join(home, '.aws'));
      // What the Access key screen writes for "MFA sessions".
      writeFileSync(
        path.join(home, '.aws/config'),
        `[profile aws.user1]\nregion = us-east-1\ncredential_process = "${process.env.AWS_SETUP_CLI}" credential-process --profile aws.user1 --mfa-session 12h\nmfa_serial = ${serial}\n`,
      );
      // The admin's key in the keychain, where the access-key step keeps it.
      execFileSync('secret-tool', ['store', '--label', 'test key', 'service', service, 'username', 'access-key/aws.user1'], {
        input: JSON.stringify({ AccessKeyId: admin.id, SecretAccessKey: admin.secret, UserName: 'aws.user1' }),
      });
      env = {
        AWS_ENDPOINT_URL: moto.url,
        AWS_REGION: 'us-east-1',
        HOME: home,
        XDG_DATA_HOME: path.join(home, '.local/share'),
        AWS_SETUP_KEYCHAIN_SERVICE: service,
        LANG: lang === 'ko' ? 'ko_KR.UTF-8' : 'en_US.UTF-8',
      };
      driver = await startDriver(env);
      session = await Session.open(driver, ['--mfa-session-for', 'aws.user1']);
    });

    after(async () => {
      try {
        await session?.close();
      } catch {
        // the window closed itself
      }
      driver?.stop();
      moto?.stop();
    });

    it('starts a session with the typed code and hands it to the AWS CLI', async () => {
      await session.waitFor('[data-testid="code-window"]');
      assert.equal(await session.exists('[data-testid="next"]'), false, 'only the code window, not the wizard');
      assert.match(await session.text('#code-window-heading'), lang === 'ko' ? /MFA 코드/ : /MFA code/);
      await session.screenshot(`code-window-${lang}`);
      await session.type('[data-testid="code-window-code"]', '123456');
      await session.press('[data-testid="code-window-submit"]');
      // The window closes itself 1.5 s after the session starts, so the test
      // watches the result from the AWS CLI's side, not through the window.
      const cli = (args) => execFileSync(process.env.AWS_SETUP_CLI, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
      const statusOf = () => JSON.parse(cli(['login-status', '--json'])).find((p) => p.profile === 'aws.user1');
      const deadline = Date.now() + 30000;
      while (!statusOf().expires_at && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const status = statusOf();
      assert.equal(status.kind, 'mfa-session');
      assert.match(status.expires_at ?? '', /^20\d\d-/);
      const served = JSON.parse(cli(['credential-process', '--profile', 'aws.user1', '--mfa-session', '12h']));
      assert.ok(served.SessionToken && served.Expiration, 'the cached session, with its token and expiry');
      assert.notEqual(served.AccessKeyId, undefined);
    });
  });
}
