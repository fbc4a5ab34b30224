// The default way through the window, with no key anywhere: "Sign in with
// the console" to connect, and console sign-in for the admin's AWS CLI
// profile. The real AWS CLI v2 runs `aws login`; a stand-in for AWS Sign-In
// (tests/src/sign_in.rs, as a program) answers it, and a script in BROWSER
// plays the browser. moto's auth is off: it refuses every session token
// while it is on. Once in Korean, once in English.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP, Session, startDriver, startMoto } from './harness.mjs';
import { awsCli, seedAdmin } from './aws.mjs';

/** The stand-in program, signing in as `users` in turn; resolves to its URL. */
async function startSignIn(motoUrl, minter, users) {
  const bin = process.env.SIGN_IN_STAND_IN;
  assert.ok(bin && existsSync(bin), 'SIGN_IN_STAND_IN must point at the built stand-in');
  const child = spawn(bin, [motoUrl, minter.id, minter.secret, ...users], {
    env: { ...process.env, AWS_CLI_V2: process.env.AWS_CLI_V2 },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/^url (\S+)$/m);
      if (found) resolve(found[1]);
    });
    child.on('exit', (code) => reject(new Error(`sign-in stand-in exited with ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

for (const lang of ['ko', 'en']) {
  describe(`console sign-in, no key, in ${lang === 'ko' ? 'Korean' : 'English'}`, () => {
    let moto, signIn, driver, session, home, env;
    const motoEnv = () => ({ AWS_ENDPOINT_URL: moto.url, AWS_REGION: 'us-east-1', HOME: home });
    const screen = (id) => session.waitFor(`[data-testid="screen-${id}"]`);
    const shot = (name) => session.screenshot(`sign-in-${lang}-${name}`);

    before(async () => {
      assert.ok(APP && existsSync(APP), 'AWS_SETUP_APP must point at the built app');
      moto = await startMoto();
      const rootStandIn = seedAdmin(moto.url, 'root-stand-in');
      signIn = await startSignIn(moto.url, rootStandIn, ['root-stand-in', 'aws.user1']);
      home = mkdtempSync(path.join(tmpdir(), `aws-setup-sign-in-${lang}-`));
      const browser = path.join(home, 'browser.sh');
      writeFileSync(browser, '#!/bin/sh\n(sleep 0.2; curl -sS -L -o /dev/null "$1") >/dev/null 2>&1 &\n');
      chmodSync(browser, 0o755);
      env = {
        AWS_ENDPOINT_URL: moto.url,
        AWS_ENDPOINT_URL_SIGNIN: signIn.url,
        AWS_REGION: 'us-east-1',
        AWS_SETUP_AWS_CLI: process.env.AWS_CLI_V2,
        BROWSER: browser,
        HOME: home,
        XDG_DATA_HOME: path.join(home, '.local/share'),
        AWS_SETUP_KEYCHAIN_SERVICE: `aws-setup-gui-sign-in-${lang}`,
        LANG: lang === 'ko' ? 'ko_KR.UTF-8' : 'en_US.UTF-8',
      };
      driver = await startDriver(env);
      session = await Session.open(driver);
    });

    after(async () => {
      await session?.close();
      driver?.stop();
      signIn?.stop();
      moto?.stop();
    });

    it('connects and hands the AWS CLI a console sign-in, making no access key', async () => {
      await session.press('[data-testid="start"]');
      await screen('account_signup');
      await session.press('[data-testid="confirm-console-step"]');
      await screen('root_mfa');
      await session.press('[data-testid="confirm-console-step"]');

      await screen('identity');
      await session.press('[data-testid="connect-console"]');
      const bootstrap = await session.waitForText('[data-testid="connect-bootstrap"]', (t) => t.includes('root-stand-in'), 60000);
      assert.match(bootstrap, lang === 'ko' ? /키를 만들지 않았습니다/ : /no key was created/);
      await shot('connect');
      await session.press('[data-testid="next"]');

      await screen('alias');
      await session.type('[data-testid="alias-input"]', `aws-sign-in-${lang}`);
      await session.press('[data-testid="alias-submit"]');
      await session.waitFor('[data-testid="alias-done"]');
      await session.press('[data-testid="next"]');

      await screen('admin_user');
      await session.press('[data-testid="admin-submit"]');
      await session.waitFor('[data-testid="admin-ready"]');
      await session.press('[data-testid="next"]');

      await screen('user_mfa');
      await session.press('[data-testid="mfa-this-computer"]');
      await session.waitFor('[data-testid="mfa-done"]', 60000);
      await session.press('[data-testid="next"]');

      await screen('billing_access');
      await session.press('[data-testid="confirm-console-step"]');

      await screen('access_key');
      // Console sign-in is the preselected way: no key form at all.
      assert.equal(await session.exists('[data-testid="key-create"]'), false);
      await session.press('[data-testid="cli-login"]');
      await session.waitFor('[data-testid="cli-login-done"]', 90000);
      await shot('access');
      await session.press('[data-testid="next"]');

      await screen('bootstrap_cleanup');
      // Signing in as the admin proved the password and MFA: nothing to confirm by hand.
      await session.waitFor('[data-testid="cleanup-signin-confirmed"]');
      await session.press('[data-testid="cleanup-run"]');
      await session.waitFor('[data-testid="cleanup-no-key-made"]');
      await shot('cleanup');

      // The admin's profile is a console sign-in, and the AWS CLI uses it.
      const config = readFileSync(path.join(home, '.aws/config'), 'utf8');
      assert.match(config, /\[profile aws\.user1\]\nregion = [a-z0-9-]+\nlogin_session = arn:aws:iam::123456789012:user\/aws\.user1/);
      assert.doesNotMatch(config, /credential_process/);
      const users = awsCli({ ...motoEnv(), AWS_ENDPOINT_URL_SIGNIN: signIn.url }, ['iam', 'list-users', '--profile', 'aws.user1']);
      assert.ok(users.Users.some((u) => u.UserName === 'aws.user1'));

      // Every key aws.user1 has is the one the sign-in minted for its session:
      // the app made none. Only the admin's session is left on this computer.
      const cacheDir = path.join(home, '.aws/login/cache');
      const sessions = readdirSync(cacheDir).map((f) => JSON.parse(readFileSync(path.join(cacheDir, f), 'utf8')));
      assert.equal(sessions.length, 1, 'the set-up sign-in was signed out');
      const seeder = { ...motoEnv(), AWS_ACCESS_KEY_ID: 'AKIASEEDERSEEDER0000', AWS_SECRET_ACCESS_KEY: 'seed-seed-seed-seed-seed-seed-seed-seed0' };
      const keys = awsCli(seeder, ['iam', 'list-access-keys', '--user-name', 'aws.user1']).AccessKeyMetadata.map((k) => k.AccessKeyId);
      assert.deepEqual(keys, [sessions[0].accessToken.accessKeyId]);
    });
  });
}
