// Accessibility check of every wizard screen in both languages, in Debian's
// Chromium driven by playwright-core, with axe-core. The Tauri IPC is
// replaced by tests/mock-ipc.mjs through page.addInitScript, so the built
// app (ui/dist) runs unchanged. English runs in the light theme, Korean in
// the dark theme. Fails (exit 1) on any serious or critical violation, on a
// missing catalogue message, or on a page error. Screenshots of every screen
// at 1280x800 and 800x600 go to ../target/screenshots/a11y/.
//
//   cd ui && npm run a11y          (builds ui/dist first)
//   A11Y_SKIP_BUILD=1 npm run a11y (uses the existing ui/dist)
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { installMockIpc } from './mock-ipc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const uiDir = path.resolve(here, '..');
const distDir = path.join(uiDir, 'dist');
const shotsDir = path.resolve(uiDir, '..', 'target', 'screenshots', 'a11y');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STEP_TIMEOUT = 10_000;

// A11Y_URL points the run at a server of your own (for example `npx vite`,
// whose dev build also reports Svelte's runtime warnings); then nothing is built.
const externalUrl = process.env.A11Y_URL;
if (!process.env.A11Y_SKIP_BUILD && !externalUrl) {
  execFileSync(process.execPath, [path.join(uiDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: uiDir,
    stdio: 'inherit',
  });
}
mkdirSync(shotsDir, { recursive: true });
for (const old of readdirSync(shotsDir)) if (old.endsWith('-FAILED.png')) rmSync(path.join(shotsDir, old));

// --- a tiny static server for ui/dist ---------------------------------------
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json' };
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  let file = path.join(distDir, decodeURIComponent(url.pathname));
  if (!file.startsWith(distDir)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = externalUrl ?? `http://127.0.0.1:${server.address().port}/`;

// --- what to do on each screen before checking it ---------------------------
// Each step reveals the screen's later states (results, QR codes, prompts),
// so axe sees them too.
const SCREENS = [
  {
    id: 'welcome',
    nav: 'nav-welcome',
    async act(page) {
      // "Run a safety check" opens the checkup at any time, focus on its heading.
      await page.getByTestId('welcome-checkup').click();
      await page.getByTestId('screen-checkup').waitFor();
      const focused = await page.evaluate(() => document.activeElement?.id ?? '');
      if (focused !== 'checkup-title') throw new Error(`welcome-checkup left the focus on "${focused}"`);
      await page.getByTestId('nav-welcome').click();
      await page.getByTestId('screen-welcome').waitFor();
    },
  },
  { id: 'account_signup', nav: 'nav-account_signup' },
  {
    id: 'root_mfa',
    nav: 'nav-root_mfa',
    async act(page) {
      await page.getByTestId('root-mfa-secret').fill('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
      await page.getByTestId('root-mfa-show').click();
      await page.getByTestId('root-mfa-qr').waitFor();
      await page.getByTestId('root-mfa-code1').fill('492 039');
      await page.getByTestId('root-mfa-code2').fill('118204');
      await page.getByTestId('root-mfa-check').click();
      await page.getByTestId('root-mfa-check-ok').waitFor();
    },
  },
  {
    id: 'identity',
    nav: 'nav-identity',
    async act(page) {
      // The pasted key is under "Advanced"; opened, the whole screen is checked.
      await page.getByTestId('connect-advanced-toggle').click();
      await page.getByTestId('connect-access-key-id').fill('AKIAEXAMPLEROOT00001');
      await page.getByTestId('connect-secret').fill('example-secret-not-real-0000000000000000');
      await page.getByTestId('connect-secret-toggle').click();
      await page.getByTestId('connect-submit').click();
      await page.getByTestId('connect-result').waitFor();
    },
  },
  {
    id: 'alias',
    nav: 'nav-alias',
    async act(page) {
      await page.getByTestId('alias-input').fill('aws-taken');
      await page.getByTestId('alias-validation').locator('.valid').waitFor();
      await page.getByTestId('alias-submit').click();
      await page.getByTestId('alias-suggestion-0').click();
      await page.getByTestId('alias-submit').click();
      await page.getByTestId('alias-done').waitFor();
      await page.getByTestId('alias-validation').locator('.valid').waitFor();
      await page.getByTestId('console-terms-alias').locator('summary').click();
    },
  },
  {
    id: 'admin_user',
    nav: 'nav-admin_user',
    async act(page) {
      await page.getByTestId('admin-generate').click();
      await page.getByTestId('admin-password-check').locator('.valid').waitFor();
      await page.getByTestId('admin-submit').click();
      await page.getByTestId('admin-ready').waitFor();
      await page.getByTestId('admin-reveal-password').click();
      await page.getByTestId('admin-revealed-password').waitFor();
      await page.getByTestId('console-terms-admin_user').locator('summary').click();
    },
  },
  {
    id: 'user_mfa',
    nav: 'nav-user_mfa',
    async act(page) {
      await page.getByTestId('mfa-begin').click();
      await page.getByTestId('mfa-qr').waitFor();
      await page.getByTestId('mfa-show-setup-key').click();
      await page.getByTestId('mfa-setup-key').waitFor();
      await page.getByTestId('mfa-code1').fill('123 456');
      await page.getByTestId('mfa-code2').fill('654321');
    },
  },
  {
    id: 'billing_access',
    nav: 'nav-billing_access',
    async act(page) {
      await page.getByTestId('billing-steps').waitFor();
      // The check's kept answer shows by itself; "check again" asks anew.
      await page.getByTestId('billing-probe-result').waitFor();
      await page.getByTestId('billing-probe-result-again').click();
      await page.getByTestId('billing-handout-check').waitFor();
    },
  },
  {
    id: 'access_key',
    nav: 'nav-access_key',
    async act(page) {
      // The plain key shows the most of the screen: the key, its secret and the hand-off.
      await page.getByTestId('cli-access-key').click();
      await page.getByTestId('key-create').click();
      await page.getByTestId('key-ready').waitFor();
      await page.getByTestId('key-reveal').click();
      await page.getByTestId('key-secret').waitFor();
      await page.getByTestId('cli-profile').click();
      await page.getByTestId('cli-profile-done').waitFor();
      await page.getByTestId('export-cli').click();
      await page.getByTestId('export-overwrite-confirm').waitFor();
      await page.getByTestId('cli-installers').waitFor();
      await page.getByTestId('console-terms-access_key').locator('summary').click();
    },
  },
  {
    id: 'bootstrap_cleanup',
    nav: 'nav-bootstrap_cleanup',
    async act(page) {
      await page.getByTestId('cleanup-run-locked').waitFor();
      await page.getByTestId('cleanup-confirm-signin').click();
      await page.getByTestId('cleanup-signin-confirmed').waitFor();
      await page.getByTestId('cleanup-run').click();
      await page.getByTestId('cleanup-result').waitFor();
    },
  },
  {
    id: 'checkup',
    nav: 'nav-checkup',
    async act(page) {
      await page.getByTestId('summary-list').waitFor();
      await page.getByTestId('checkup-run').click();
      // The check takes seconds: progress shows after 300 ms.
      await page.getByTestId('checkup-busy').waitFor();
      await page.getByTestId('checkup-list').waitFor();
      for (const status of ['pass', 'fail', 'unknown']) await page.locator(`[data-testid="checkup-list"] [data-status="${status}"]`).first().waitFor();
      await page.getByTestId('checkup-fix-budget_exists').waitFor();
      await page.getByTestId('checkup-console-root_access_key').waitFor();
      await page.getByTestId('checkup-export').click();
      await page.getByTestId('checkup-overwrite-confirm').waitFor();
    },
  },
  {
    id: 'budget',
    nav: 'nav-budget',
    async act(page) {
      await page.locator('[data-testid="budget-explanations"] li').first().waitFor();
      // Client-side checks first: a bad amount and no email.
      await page.getByTestId('budget-limit').fill('10.123');
      await page.getByTestId('budget-create').click();
      await page.getByTestId('budget-limit-problem').locator('.invalid').waitFor();
      await page.getByTestId('budget-email-problem').locator('.invalid').waitFor();
      await page.getByTestId('budget-zero-spend').check();
      await page.getByTestId('budget-monthly').check();
      await page.getByTestId('budget-limit').fill('10');
      await page.getByTestId('budget-email').fill('kim@example.com');
      await page.getByTestId('budget-create').click();
      await page.locator('[data-testid="budget-result"][data-outcome="created"]').waitFor();
      await page.getByTestId('budget-confirm-email').waitFor();
    },
  },
  {
    id: 'contacts',
    nav: 'nav-contacts',
    async act(page) {
      await page.getByTestId('contacts-list').waitFor();
      await page.getByTestId('contact-billing-delete').waitFor();
      await page.getByTestId('contact-operations-name').fill('Lee Jiwoo');
      await page.getByTestId('contact-operations-title').fill('CTO');
      await page.getByTestId('contact-operations-email').fill('ops@example.com');
      await page.getByTestId('contact-operations-phone').fill('+82 2-555-0100');
      await page.getByTestId('contact-operations-save').click();
      await page.getByTestId('contact-operations-status').getByText(/./).waitFor();
      await page.getByTestId('contact-operations-delete').waitFor();
      // The security form with every field out of its limits.
      await page.getByTestId('contact-security-name').fill('Park Seoyeon');
      await page.getByTestId('contact-security-phone').fill('call me');
      await page.getByTestId('contact-security-email').fill('not-an-email');
      await page.getByTestId('contact-security-save').click();
      await page.locator('[data-testid="contact-security-phone"][aria-invalid="true"]').waitFor();
      await page.locator('[data-testid="contact-security-title"][aria-invalid="true"]').waitFor();
    },
  },
  {
    id: 'partner',
    nav: 'nav-partner',
    async act(page) {
      await page.getByTestId('partner-name').fill('admin');
      await page.getByTestId('partner-create').click();
      await page.getByTestId('partner-name-taken').waitFor();
      await page.getByTestId('partner-name').fill('gs-support');
      await page.getByTestId('partner-create').click();
      await page.getByTestId('partner-ready').waitFor();
      const langs = await page.getByTestId('partner-warning').locator('p').evaluateAll((ps) => ps.map((p) => p.lang));
      if (langs.join() !== 'ko,en') throw new Error(`the hand-off warning is not in both languages (${langs.join()})`);
      await page.getByTestId('partner-export').click();
      await page.getByTestId('partner-zip-password').waitFor();
    },
  },
  {
    id: 'identity_center',
    nav: 'nav-identity_center',
    async act(page) {
      await page.getByTestId('ic-user').fill('kim.admin');
      await page.getByTestId('ic-given').fill('Minji');
      await page.getByTestId('ic-family').fill('Kim');
      await page.getByTestId('ic-email').fill('not-an-email');
      await page.getByTestId('ic-submit').click();
      await page.locator('[data-testid="ic-email"][aria-invalid="true"]').waitFor();
      await page.getByTestId('ic-email').fill('minji@example.com');
      await page.getByTestId('ic-submit').click();
      await page.getByTestId('ic-not-enabled').waitFor();
      await page.getByTestId('ic-check-again').click();
      await page.getByTestId('ic-ready').waitFor();
    },
  },
  {
    id: 'classroom',
    nav: 'nav-classroom',
    async act(page) {
      await page.getByTestId('class-roster').fill('user name, display name, email\nkim.minsu, 김민수, minsu@example.com\nlee.jiwoo, 이지우\npark.seoyeon\nchoi.yuna,,yuna@example.com\njung.hoon');
      await page.getByTestId('class-roster-ok').waitFor();
      await page.getByTestId('class-id').fill('cs101-spring');
      await page.getByTestId('class-policy').selectOption('custom');
      await page.getByTestId('class-policy-arns').fill('arn:aws:iam::aws:policy/ReadOnlyAccess\narn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
      await page.getByTestId('class-keys').check();
      await page.getByTestId('class-concurrency').fill('4');
      await page.getByTestId('class-create').click();
      // Progress while it runs, then the final tallies: 4 done, 1 failed, 0 to go.
      await page.getByTestId('class-progress').waitFor();
      await page.getByTestId('class-report').waitFor();
      await page.locator('[data-testid="class-progress"][aria-valuenow="5"][aria-valuemax="5"]').waitFor();
      await page.getByTestId('class-failed').waitFor();
      await page.getByTestId('class-retry').waitFor();
      await page.getByTestId('class-handout').click();
      await page.getByTestId('class-handout-files').waitFor();
      await page.getByTestId('class-teardown-preview').click();
      await page.getByTestId('class-teardown-counts').waitFor();
      await page.getByTestId('class-teardown-confirm').click();
      await page.getByTestId('class-teardown-result').waitFor();
      await page.getByTestId('class-teardown-progress').waitFor();
      // Then a roster with problems, each listed with its line.
      await page.getByTestId('class-roster').fill('kim.minsu\nkim minsu\nKIM.MINSU\na,b,c,d');
      await page.locator('[data-testid="class-problems"] li').nth(2).waitFor();
    },
  },
  {
    id: 'undo',
    nav: 'nav-undo',
    async act(page) {
      await page.getByTestId('undo-planned').waitFor();
      await page.getByTestId('undo-confirm').check();
      // The end-of-course guide is one keypress away, focus on its heading.
      await page.getByTestId('undo-finish-jump').click();
      const focused = await page.evaluate(() => document.activeElement?.id ?? '');
      if (focused !== 'finish-heading') throw new Error(`undo-finish-jump left the focus on "${focused}"`);
    },
  },
];

const LANGS = [
  { lang: 'en', colorScheme: 'light' },
  { lang: 'ko', colorScheme: 'dark' },
];

// --- run ---------------------------------------------------------------------
// playwright-core gives every launch a fresh, temporary user data dir.
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let passed = 0;
let failed = 0;
const failures = [];

// Tabs through the whole window from the top: every stop must show a focus
// outline, and the page's own controls must all be reachable.
async function keyboardWalk(page) {
  const problems = [];
  // Start at the skip link, the first stop in the window.
  await page.evaluate(() => document.querySelector('.skip')?.focus());
  const seen = new Set();
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      const name = el.getAttribute('data-testid') || el.id || el.textContent?.trim().slice(0, 30) || el.tagName;
      return { key: `${el.tagName}#${name}`, visible, matches: el.matches(':focus-visible') };
    });
    if (!stop || seen.has(stop.key)) break;
    seen.add(stop.key);
    if (!stop.visible || !stop.matches) problems.push(`no visible keyboard focus on ${stop.key}`);
  }
  const unreachable = await page.evaluate((reached) => {
    const main = document.getElementById('main');
    const controls = main ? [...main.querySelectorAll('button:not(:disabled), input:not(:disabled), select:not(:disabled), a[href], textarea')] : [];
    return controls
      .filter((el) => el.offsetParent !== null)
      // In a radio group only the checked radio is a Tab stop; arrows move within it.
      .filter((el) => !(el.type === 'radio' && !el.checked && document.querySelector(`input[type=radio][name="${el.name}"]:checked`)))
      .map((el) => `${el.tagName}#${el.getAttribute('data-testid') || el.id || el.textContent?.trim().slice(0, 30) || el.tagName}`)
      .filter((key) => !reached.includes(key));
  }, [...seen]);
  for (const key of unreachable) problems.push(`not reachable with Tab: ${key}`);
  if (seen.size < 5) problems.push(`only ${seen.size} Tab stops: the walk did not run`);
  return { problems, stops: seen.size };
}

async function frames(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

try {
  for (const { lang, colorScheme } of LANGS) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    const problems = [];
    page.on('console', (msg) => {
      if (msg.text().includes('[i18n] missing message')) problems.push(msg.text());
      else if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
      else if (msg.type() === 'warning' && externalUrl) problems.push(`console warning: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    await page.addInitScript(installMockIpc, { lang });
    await page.goto(base);
    await page.getByTestId('app-title').waitFor();
    await page.addScriptTag({ path: axePath });

    for (const screen of SCREENS) {
      const name = `${screen.id} [${lang}, ${colorScheme}]`;
      problems.length = 0;
      const errors = [];
      let stops = 0;
      try {
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.getByTestId(screen.nav).click();
        await page.getByTestId(`screen-${screen.id}`).waitFor();
        // Keyboard users land on the new page's heading.
        const focused = await page.evaluate(() => document.activeElement?.id ?? '');
        if (focused !== `${screen.id}-title`) errors.push(`focus after navigation is on "${focused}", not the page heading`);
        const current = await page.getByTestId(screen.nav).getAttribute('aria-current');
        if (current !== 'step') errors.push('the sidebar entry is not aria-current="step"');
        if (screen.act) await screen.act(page);
        await frames(page);
        const htmlLang = await page.evaluate(() => document.documentElement.lang);
        if (htmlLang !== lang) errors.push(`html lang is "${htmlLang}", not "${lang}"`);

        const result = await page.evaluate(async () => {
          // eslint-disable-next-line no-undef
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
        });
        for (const v of result) {
          const line = `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.join(', ')}`;
          if (v.impact === 'serious' || v.impact === 'critical') errors.push(line);
          else console.log(`  note ${name}: ${line}`);
        }
        const walk = await keyboardWalk(page);
        errors.push(...walk.problems);
        stops = walk.stops;
        await page.evaluate(() => {
          document.activeElement?.blur?.();
          document.getElementById('main')?.scrollTo(0, 0);
        });
        await page.screenshot({ path: path.join(shotsDir, `${screen.id}-${lang}-1280x800.png`) });
        await page.setViewportSize({ width: 800, height: 600 });
        await frames(page);
        await page.screenshot({ path: path.join(shotsDir, `${screen.id}-${lang}-800x600.png`) });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
        if (overflow) errors.push('the page scrolls sideways at 800x600');
      } catch (err) {
        const lines = err.message.split('\n');
        const waiting = lines.find((l) => l.includes('waiting for'))?.trim();
        errors.push(`could not drive the screen: ${lines[0]}${waiting ? ` (${waiting})` : ''}`);
        await page.screenshot({ path: path.join(shotsDir, `${screen.id}-${lang}-FAILED.png`) }).catch(() => undefined);
      }
      errors.push(...problems);
      if (errors.length === 0) {
        passed++;
        console.log(`ok   ${name} (${stops} Tab stops)`);
      } else {
        failed++;
        failures.push(name);
        console.log(`FAIL ${name}`);
        for (const e of errors) console.log(`     ${e}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

console.log(`screenshots: ${shotsDir}`);
if (failures.length) console.log(`failed: ${failures.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
