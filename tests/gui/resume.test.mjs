// Killing the app in the middle of the flow and starting it again opens the
// step the journal says is next.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Session, startDriver, startMoto } from './harness.mjs';
import { motoAuth, seedAdmin } from './aws.mjs';

describe('resume after a crash', () => {
  let moto, driver;

  before(async () => {
    moto = await startMoto();
    const key = seedAdmin(moto.url, 'bootstrap-admin');
    await motoAuth(moto.url, true);
    const home = mkdtempSync(path.join(tmpdir(), 'aws-setup-resume-'));
    driver = await startDriver({
      AWS_ENDPOINT_URL: moto.url,
      AWS_REGION: 'us-east-1',
      HOME: home,
      XDG_DATA_HOME: path.join(home, '.local/share'),
      AWS_SETUP_KEYCHAIN_SERVICE: 'aws-setup-gui-resume',
      LANG: 'en_US.UTF-8',
    });
    driver.key = key;
  });

  after(() => {
    driver?.stop();
    moto?.stop();
  });

  it('opens on the admin user step after being killed once the alias was set', async () => {
    const first = await Session.open(driver);
    await first.press('[data-testid="start"]');
    await first.waitFor('[data-testid="screen-account_signup"]');
    await first.press('[data-testid="confirm-console-step"]');
    await first.waitFor('[data-testid="screen-root_mfa"]');
    await first.press('[data-testid="confirm-console-step"]');
    await first.waitFor('[data-testid="screen-identity"]');
    // The pasted key is the advanced way; console sign-in comes first.
    await first.press('[data-testid="connect-advanced-toggle"]');
    await first.type('[data-testid="connect-access-key-id"]', driver.key.id);
    await first.type('[data-testid="connect-secret"]', driver.key.secret);
    await first.press('[data-testid="connect-submit"]');
    await first.waitFor('[data-testid="connect-arn"]');
    await first.press('[data-testid="next"]');
    await first.waitFor('[data-testid="screen-alias"]');
    await first.type('[data-testid="alias-input"]', 'aws-resume');
    await first.press('[data-testid="alias-submit"]');
    await first.waitFor('[data-testid="alias-done"]');

    // SIGKILL, by PID: no chance to save anything on the way out.
    driver.killApp();
    await first.close();

    const second = await Session.open(driver);
    await second.waitFor('[data-testid="screen-admin_user"]');
    const current = await second.cmd('POST', '/element', { using: 'css selector', value: '[aria-current="step"]' });
    const text = await second.cmd('GET', `/element/${Object.values(current)[0]}/text`);
    assert.match(text, /Admin user/);
    await second.screenshot('resume-admin-user');
    await second.close();
  });
});
