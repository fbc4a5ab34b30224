// The first screen of the release app, in a real WebKit window under Xvfb,
// driven over WebDriver, against a moto server standing in for AWS.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP, Session, startDriver, startMoto } from './harness.mjs';

describe('first screen', () => {
  let moto, driver, session;

  before(async () => {
    assert.ok(APP && existsSync(APP), `AWS_SETUP_APP must point at the built app (got ${APP})`);
    moto = await startMoto();
    driver = await startDriver({
      AWS_ENDPOINT_URL: moto.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAGUITESTGUITEST00',
      AWS_SECRET_ACCESS_KEY: 'gui-test-placeholder-not-a-secret-000000',
      AWS_SETUP_PRACTICE: '1',
      LANG: 'en_US.UTF-8',
      XDG_DATA_HOME: mkdtempSync(path.join(tmpdir(), 'aws-setup-gui-')),
    });
    session = await Session.open(driver);
  });

  after(async () => {
    await session?.close();
    driver?.stop();
    moto?.stop();
  });

  it('opens in English with every walkthrough step listed as to do', async () => {
    await session.waitFor('[data-testid="app-title"]');
    assert.equal(await session.text('[data-testid="app-title"]'), 'AWS Setup Wizard');
    const steps = await session.text('[data-testid="step-list"]');
    for (const name of ['Create the account', 'Root user MFA', 'Account alias', 'Access key', 'Safety check']) {
      assert.ok(steps.includes(name), `step "${name}" is listed`);
    }
    assert.ok(steps.includes('To do'));
  });

  it('shows practice mode clearly', async () => {
    assert.equal(await session.text('[data-testid="practice-badge"]'), 'Practice mode (local simulator)');
  });

  it('shows the identity moto reports', async () => {
    const arn = await session.waitForText('[data-testid="identity-arn"]', (t) => t.length > 0);
    assert.equal(arn, 'arn:aws:sts::123456789012:user/moto');
    assert.equal(await session.text('[data-testid="identity-account"]'), '123456789012');
    await session.screenshot('first-screen-en');
  });

  it('switches to Korean and the visible text changes', async () => {
    const before = await session.text('[data-testid="step-list"]');
    await session.click('[data-testid="lang-ko"]');
    const title = await session.waitForText('[data-testid="app-title"]', (t) => t !== 'AWS Setup Wizard');
    assert.equal(title, 'AWS 설정 마법사');
    const after = await session.text('[data-testid="step-list"]');
    assert.notEqual(after, before);
    assert.ok(after.includes('계정 만들기'));
    await session.waitForText('[data-testid="identity-kind"]', (t) => t.startsWith('IAM 사용자'));
    await session.screenshot('first-screen-ko');
  });
});

// A beginner's laptop: no credentials anywhere and no AWS_EC2_METADATA_DISABLED,
// so the SDK's chain ends at the instance-metadata service, which fails the way
// a network would. The window must say "not connected", in both languages.
describe('a laptop with no credentials', () => {
  for (const [lang, says] of [
    ['en_US.UTF-8', 'Not connected yet.'],
    ['ko_KR.UTF-8', '아직 연결되지 않았습니다.'],
  ]) {
    it(`says not connected, not "network" (${lang})`, async () => {
      assert.equal(process.env.AWS_EC2_METADATA_DISABLED, undefined, 'the test runs as a laptop does');
      const home = mkdtempSync(path.join(tmpdir(), 'aws-setup-laptop-'));
      const driver = await startDriver({
        HOME: home,
        XDG_DATA_HOME: path.join(home, '.local/share'),
        AWS_CONFIG_FILE: path.join(home, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
        LANG: lang,
      });
      try {
        const session = await Session.open(driver);
        const text = await session.waitForText('[data-testid="identity-not-connected"]', (t) => t.length > 0, 60000);
        assert.equal(text, says);
        assert.ok(!(await session.exists('[data-testid="identity-error"]')), 'no error shown');
        await session.close();
      } finally {
        driver.stop();
      }
    });
  }
});

describe('language choice', () => {
  it('is remembered after a restart', async () => {
    const moto = await startMoto();
    const driver = await startDriver({
      AWS_ENDPOINT_URL: moto.url,
      LANG: 'en_US.UTF-8',
      XDG_DATA_HOME: mkdtempSync(path.join(tmpdir(), 'aws-setup-gui-')),
    });
    try {
      const first = await Session.open(driver);
      await first.waitFor('[data-testid="lang-ko"]');
      await first.click('[data-testid="lang-ko"]');
      await first.waitForText('[data-testid="app-title"]', (t) => t === 'AWS 설정 마법사');
      await first.close();
      const second = await Session.open(driver);
      await second.waitFor('[data-testid="app-title"]');
      assert.equal(await second.text('[data-testid="app-title"]'), 'AWS 설정 마법사');
      await second.close();
    } finally {
      driver.stop();
      moto.stop();
    }
  });
});
