import { describe, expect, it } from 'vitest';
import en from './i18n/en.json';
import ko from './i18n/ko.json';
import { cliStatusKey, INSTALLERS, installersFor, needsInstall, osOf, profileEnvCommand } from './awsCli';
import { lookup } from './i18n/keys';

describe('the AWS CLI on this computer', () => {
  it('tells the system from the webview user agent', () => {
    expect(osOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0')).toBe('windows');
    expect(osOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)')).toBe('macos');
    expect(osOf('Mozilla/5.0 (X11; Ubuntu; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)')).toBe('linux');
    expect(osOf('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36')).toBeNull();
    expect(osOf('')).toBeNull();
  });

  it('lists this computer first, then the others, all official AWS downloads', () => {
    expect(installersFor('macos').map((i) => i.os)).toEqual(['macos', 'windows', 'linux']);
    expect(installersFor('linux').map((i) => i.os)).toEqual(['linux', 'windows', 'macos']);
    expect(installersFor(null).map((i) => i.os)).toEqual(['windows', 'macos', 'linux']);
    expect(INSTALLERS.map((i) => new URL(i.url).hostname)).toEqual(['awscli.amazonaws.com', 'awscli.amazonaws.com', 'awscli.amazonaws.com']);
    expect(INSTALLERS.map((i) => i.url.split('.').pop())).toEqual(['msi', 'pkg', 'zip']);
    for (const installer of INSTALLERS) {
      for (const key of [installer.text, installer.download]) {
        expect(typeof lookup(ko, key), key).toBe('string');
        expect(typeof lookup(en, key), key).toBe('string');
      }
    }
  });

  it('sets AWS_PROFILE the way the terminal of this system does', () => {
    expect(profileEnvCommand('windows', 'aws.user1')).toBe('set AWS_PROFILE=aws.user1');
    expect(profileEnvCommand('macos', 'aws.user1')).toBe('export AWS_PROFILE=aws.user1');
    expect(profileEnvCommand(null, 'aws.user1')).toBe('export AWS_PROFILE=aws.user1');
  });

  it('says what it found, and offers the installer unless version 2 is there', () => {
    const missing = { installed: false, version: null, v2: false, login: false };
    const v1 = { installed: true, version: '1.45.11', v2: false, login: false };
    const v2 = { installed: true, version: '2.31.0', v2: true, login: false };
    const unreadable = { installed: true, version: null, v2: false, login: false };
    expect([missing, v1, v2, unreadable].map(cliStatusKey)).toEqual(['cli_install.missing', 'cli_install.v1', 'cli_install.v2', 'cli_install.unknown_version']);
    expect([missing, v1, v2, unreadable].map(needsInstall)).toEqual([true, true, false, true]);
  });
});
