// GUI end-to-end harness: moto server, tauri-driver and a raw WebDriver
// client over fetch. Every WebDriver call has a timeout, so a hung call fails
// the test instead of waiting for ever.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const APP = process.env.AWS_SETUP_APP;
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.join(ROOT, 'target/screenshots');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(what, check, ms = 20000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export async function startMoto() {
  const bin = process.env.MOTO_SERVER_BIN ?? path.join(ROOT, '.venv/bin/moto_server');
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', '0'], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = await waitFor('moto', () => log.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0]);
  return { url, stop: () => child.kill() };
}

/**
 * tauri-driver in its own process group, so stopping it also stops the
 * WebKitWebDriver and app it started; its output goes to a log file, because
 * a driver whose native port was taken prints one line per retry, forever.
 */
export async function startDriver(env) {
  const port = await freePort();
  const nativePort = await freePort();
  const bin = process.env.TAURI_DRIVER_BIN ?? 'tauri-driver';
  const logFile = path.join(SCREENSHOT_DIR, '..', `tauri-driver-${port}.log`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'w');
  const child = spawn(bin, ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor('tauri-driver', async () => (await fetch(`${base}/status`)).ok);
  } catch (err) {
    stop();
    throw err;
  }
  return { base, stop, env, logFile, killApp: () => killAppOf(child.pid) };
}

/**
 * SIGKILL for the app this driver started: the process in the driver's
 * process group whose executable is the app. Found by PID, never by name, so
 * any other instance on the machine is left alone. Returns the PID killed.
 */
function killAppOf(group) {
  const app = realpathSync(process.env.AWS_SETUP_APP);
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const ours = pids.filter((pid) => {
    try {
      // Field 5 of /proc/PID/stat is the process group; the name in field 2 may hold spaces.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const group_id = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      return group_id === group && readlinkSync(`/proc/${pid}/exe`) === app;
    } catch {
      return false; // gone meanwhile, or not ours to read
    }
  });
  if (ours.length !== 1) throw new Error(`expected one app process in group ${group}, found ${ours.length}`);
  process.kill(Number(ours[0]), 'SIGKILL');
  return Number(ours[0]);
}

async function call(base, method, route, body, ms = 30000) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(ms),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${route}: ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

export class Session {
  /**
   * Opens the app. A driver that cannot start the app (its native port was
   * taken meanwhile) is replaced with a fresh one on new ports, at most twice.
   * `args` are the app's command-line arguments.
   */
  static async open(driver, args = []) {
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await call(driver.base, 'POST', '/session', {
          capabilities: { alwaysMatch: { 'tauri:options': { application: APP, args } } },
        }, 60000);
        return new Session(driver.base, value.sessionId);
      } catch (err) {
        if (attempt >= 3) throw err;
        driver.stop();
        Object.assign(driver, await startDriver(driver.env));
      }
    }
  }

  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  cmd(method, route, body) {
    return call(this.base, method, `/session/${this.id}${route}`, body);
  }

  async find(css) {
    const el = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return Object.values(el)[0];
  }

  async waitFor(css, ms = 20000) {
    return waitFor(css, () => this.find(css), ms);
  }

  async text(css) {
    return this.cmd('GET', `/element/${await this.find(css)}/text`);
  }

  async waitForText(css, predicate, ms = 20000) {
    return waitFor(`${css} text`, async () => {
      const text = await this.text(css);
      return predicate(text) ? text : null;
    }, ms);
  }

  async type(css, text) {
    const el = await this.find(css);
    await this.cmd('POST', `/element/${el}/clear`, {});
    // WebKitWebDriver drops "\n"; the WebDriver Enter key makes the new line.
    await this.cmd('POST', `/element/${el}/value`, { text: text.replaceAll('\n', '\uE007') });
  }

  async exists(css) {
    const found = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return found.length > 0;
  }

  /** The window as a PNG with `css` scrolled into view (WebKitWebDriver's
   * element screenshots come back blank, so the whole window is taken). */
  async pngShowing(css) {
    const el = await this.find(css);
    await this.cmd('POST', '/execute/sync', {
      script: "arguments[0].scrollIntoView({block: 'center'});",
      args: [{ 'element-6066-11e4-a52e-4f735466cecf': el }],
    });
    await this.settle();
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  /** From the first screen: the two console steps confirmed, then connected with `key` ({id, secret}). */
  async connectFromStart(key) {
    await this.press('[data-testid="start"]');
    await this.waitFor('[data-testid="screen-account_signup"]');
    await this.press('[data-testid="confirm-console-step"]');
    await this.waitFor('[data-testid="screen-root_mfa"]');
    await this.press('[data-testid="confirm-console-step"]');
    await this.waitFor('[data-testid="screen-identity"]');
    // Where console sign-in comes first, the pasted key sits behind 'Advanced'.
    if (await this.exists('[data-testid="connect-advanced-toggle"]')) await this.click('[data-testid="connect-advanced-toggle"]');
    await this.type('[data-testid="connect-access-key-id"]', key.id);
    await this.type('[data-testid="connect-secret"]', key.secret);
    await this.press('[data-testid="connect-submit"]');
    await this.waitFor('[data-testid="connect-arn"]');
  }

  /** Clicks once the element is there and enabled (screens load their data first). */
  async press(css, ms = 20000) {
    await waitFor(`${css} enabled`, async () => {
      const el = await this.find(css);
      return (await this.cmd('GET', `/element/${el}/enabled`)) ? el : null;
    }, ms);
    await this.click(css);
  }

  /** A real pointer click, after scrolling the element clear of the sticky Back/Next bar. */
  async click(css) {
    const el = await this.find(css);
    await this.cmd('POST', '/execute/sync', {
      script: "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
      args: [{ 'element-6066-11e4-a52e-4f735466cecf': el }],
    });
    await this.cmd('POST', `/element/${el}/click`, {});
  }

  /** Waits two animation frames so the screenshot shows the latest paint. */
  async settle() {
    await this.cmd('POST', '/execute/async', {
      script: 'const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));',
      args: [],
    });
  }

  async screenshot(name) {
    await this.settle();
    const png = await this.cmd('GET', '/screenshot');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    writeFileSync(file, Buffer.from(png, 'base64'));
    return file;
  }

  async close() {
    await call(this.base, 'DELETE', `/session/${this.id}`).catch(() => {});
  }
}
