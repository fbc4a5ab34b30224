// The AWS CLI on this computer: which installer fits it, and what the
// access-key screen says about `aws --version`'s answer.
import type { AwsCliInstall } from './bindings/ipc';
import { URLS } from './links';

export type Os = 'windows' | 'macos' | 'linux';

/** The operating system a webview's user agent names; null when unsure. */
export function osOf(userAgent: string): Os | null {
  if (/Windows/i.test(userAgent)) return 'windows';
  if (/Mac OS X|Macintosh/i.test(userAgent)) return 'macos';
  if (/Linux|X11/i.test(userAgent) && !/Android/i.test(userAgent)) return 'linux';
  return null;
}

/** AWS's official installer for each system, with its catalogue keys. */
export const INSTALLERS: { os: Os; url: string; text: string; download: string }[] = [
  { os: 'windows', url: URLS.awsCliWindows, text: 'cli_install.windows', download: 'cli_install.download_windows' },
  { os: 'macos', url: URLS.awsCliMacos, text: 'cli_install.macos', download: 'cli_install.download_macos' },
  { os: 'linux', url: URLS.awsCliLinux, text: 'cli_install.linux', download: 'cli_install.download_linux' },
];

/** This computer's installer first, then the others. */
export function installersFor(os: Os | null): typeof INSTALLERS {
  return [...INSTALLERS].sort((a, b) => Number(b.os === os) - Number(a.os === os));
}

/** The Linux commands from AWS's guide. */
export const LINUX_COMMANDS = [
  'curl "https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip" -o "awscliv2.zip"',
  'unzip awscliv2.zip',
  'sudo ./aws/install',
];

/** How to set AWS_PROFILE for the terminal's session, on this system
 * (Windows: the Command Prompt the MSI's guide opens). */
export function profileEnvCommand(os: Os | null, profile: string): string {
  return os === 'windows' ? `set AWS_PROFILE=${profile}` : `export AWS_PROFILE=${profile}`;
}

/** The catalogue key for what was found; v2 is the only "all good". */
export function cliStatusKey(found: AwsCliInstall): string {
  if (!found.installed) return 'cli_install.missing';
  if (found.version === null) return 'cli_install.unknown_version';
  return found.v2 ? 'cli_install.v2' : 'cli_install.v1';
}

/** Whether to show how to install version 2. */
export function needsInstall(found: AwsCliInstall): boolean {
  return !found.v2;
}
