// Classroom in accounts mode, in the release app, once in Korean and once in
// English: a class of 5 gets an AWS account each (moto's Organizations and
// Identity Center), the hand-out is written, and the class is recycled into
// the ready pool; the result is checked through moto with the real AWS CLI v2.
// Moto's auth stays off: the OrganizationAccountAccessRole it makes in a new
// account has no policy, so with auth on every call inside it would be denied.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APP, Session, startDriver, startMoto } from './harness.mjs';
import { awsCli, seedAdmin } from './aws.mjs';

for (const lang of ['ko', 'en']) {
  describe(`classroom in accounts mode in ${lang === 'ko' ? 'Korean' : 'English'}`, () => {
    let moto, driver, session, saveDir, reader;

    before(async () => {
      assert.ok(APP && existsSync(APP), 'AWS_SETUP_APP must point at the built app');
      moto = await startMoto();
      const instructor = seedAdmin(moto.url, 'instructor');
      reader = { AWS_ENDPOINT_URL: moto.url, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: instructor.id, AWS_SECRET_ACCESS_KEY: instructor.secret };
      const home = mkdtempSync(path.join(tmpdir(), `aws-setup-class-accounts-${lang}-`));
      saveDir = path.join(home, 'exports');
      execFileSync('mkdir', ['-p', saveDir]);
      driver = await startDriver({
        AWS_ENDPOINT_URL: moto.url,
        AWS_REGION: 'us-east-1',
        HOME: home,
        XDG_DATA_HOME: path.join(home, '.local/share'),
        AWS_SETUP_KEYCHAIN_SERVICE: `aws-setup-class-accounts-${lang}`,
        AWS_SETUP_SAVE_DIR: saveDir,
        // A computer without the AWS CLI: recycling cleans IAM and budgets and
        // says it did not look for EC2 and S3 (tests/cli covers looking).
        AWS_SETUP_AWS_CLI: path.join(home, 'no-aws-cli', 'aws'),
        LANG: lang === 'ko' ? 'ko_KR.UTF-8' : 'en_US.UTF-8',
      });
      session = await Session.open(driver);
      await session.connectFromStart(instructor);
    });

    after(async () => {
      await session?.close();
      driver?.stop();
      moto?.stop();
    });

    it('creates a class of 5 accounts, writes the hand-out and recycles the accounts into the pool', async () => {
      await session.press('[data-testid="nav-classroom"]');
      await session.press('[data-testid="class-mode-accounts"]');
      await session.waitFor('[data-testid="class-guardrails"]');
      const guardrails = await session.text('[data-testid="class-guardrails"]');
      assert.match(guardrails, lang === 'ko' ? /조직에서 빼낼 수 없습니다/ : /cannot take their account out of your organization/);
      assert.match(guardrails, /us-east-1/);

      const roster = ['user name,display name,email', ...[1, 2, 3, 4, 5].map((i) => `lab0${i},Student ${i},lab0${i}@school.example`)].join('\n');
      await session.type('[data-testid="class-roster"]', `${roster}\n`);
      await session.waitFor('[data-testid="class-roster-ok"]');
      await session.type('[data-testid="class-id"]', `lab-${lang}`);
      await session.type('[data-testid="class-instructor-email"]', 'teacher@school.example');
      await session.type('[data-testid="class-account-quota"]', '10');
      await session.press('[data-testid="class-create"]');
      await session.waitFor('[data-testid="class-accounts-report"]', 120000);
      const report = await session.text('[data-testid="class-accounts-report"]');
      assert.match(report, lang === 'ko' ? /새 계정 5개/ : /5 new accounts/);
      assert.match(await session.text('[data-testid="class-accounts-portal"]'), /awsapps\.com\/start/);

      await session.press('[data-testid="class-accounts-handout"]');
      await session.waitFor('[data-testid="class-accounts-handout-files"]');
      const sheets = readdirSync(saveDir).find((f) => f.endsWith('-accounts-sheets.html'));
      assert.ok(sheets, `no sheets in ${readdirSync(saveDir)}`);
      const html = readFileSync(path.join(saveDir, sheets), 'utf8');
      assert.match(html, lang === 'ko' ? /암호를 잊으셨나요/ : /Forgot password/);
      assert.match(html, new RegExp(`lab-${lang}-lab03`));
      await session.screenshot(`classroom-accounts-${lang}`);

      await session.press('[data-testid="class-accounts-teardown-preview"]');
      await session.waitFor('[data-testid="class-accounts-teardown-found"]', 60000);
      await session.press('[data-testid="class-accounts-teardown-confirm"]');
      await session.waitFor('[data-testid="class-accounts-teardown-result"]', 120000);
      const recycled = await session.cmd('GET', `/element/${await session.find('[data-testid="class-accounts-teardown-result"]')}/attribute/data-recycled`);
      assert.equal(recycled, '5');

      // Through moto: the five accounts wait in the ready pool, the class OU is gone.
      const root = awsCli(reader, ['organizations', 'list-roots']).Roots[0].Id;
      const ous = awsCli(reader, ['organizations', 'list-organizational-units-for-parent', '--parent-id', root]).OrganizationalUnits;
      assert.deepEqual(
        ous.map((o) => o.Name),
        ['aws-setup-ready-pool'],
      );
      const pooled = awsCli(reader, ['organizations', 'list-accounts-for-parent', '--parent-id', ous[0].Id]).Accounts;
      assert.equal(pooled.length, 5);
    });
  });
}
