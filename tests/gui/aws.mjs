// The test's side of AWS: moto seeded through the real AWS CLI v2, TOTP codes
// computed from a seed like a phone would, and QR codes read like a camera
// would (zbarimg), so the test knows only what the user could know.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function awsCli(env, args) {
  const out = execFileSync(process.env.AWS_CLI_V2, [...args, '--output', 'json'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  // `configure import` answers in words, not JSON.
  return out.trim().startsWith('{') ? JSON.parse(out) : out.trim();
}

/** An admin user with its key, created while moto's auth is off. */
export function seedAdmin(motoUrl, userName) {
  const env = {
    AWS_ENDPOINT_URL: motoUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIASEEDERSEEDER0000',
    AWS_SECRET_ACCESS_KEY: 'seed-seed-seed-seed-seed-seed-seed-seed0',
  };
  awsCli(env, ['iam', 'create-user', '--user-name', userName]);
  awsCli(env, ['iam', 'attach-user-policy', '--user-name', userName, '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess']);
  const key = awsCli(env, ['iam', 'create-access-key', '--user-name', userName]).AccessKey;
  return { id: key.AccessKeyId, secret: key.SecretAccessKey };
}

export async function motoAuth(motoUrl, on) {
  const res = await fetch(`${motoUrl}/moto-api/reset-auth`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: on ? '0' : 'inf',
  });
  if (!res.ok) throw new Error(`reset-auth: ${res.status}`);
}

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238: SHA1, 30 s steps, 6 digits. */
export function totp(seed, unixSeconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', base32(seed)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** Two consecutive codes, the current step's and the next one's. The engine
 * accepts this pair until the end of the next 30-second step, so the WebDriver
 * calls between reading and submitting can never cross a boundary that turns
 * them into "clock skew" (the previous-and-current pair expired at the end of
 * the current step, sometimes while it was being typed). */
export function twoCodes(seed) {
  const now = Date.now() / 1000;
  return [totp(seed, now), totp(seed, now + 30)];
}

/** Reads the otpauth:// URI out of a PNG of a QR code, and returns its secret. */
export function seedFromQrPng(png, dir) {
  const file = path.join(dir, `qr-${Date.now()}.png`);
  writeFileSync(file, png);
  let uri;
  try {
    uri = execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
  } finally {
    if (!process.env.KEEP_QR) rmSync(file, { force: true }); // it holds an MFA seed
  }
  const secret = new URL(uri).searchParams.get('secret');
  if (!secret) throw new Error(`no secret in ${uri}`);
  return secret;
}
