import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const dialog = vi.hoisted(() => ({ save: vi.fn(), open: vi.fn() }));
vi.mock('@tauri-apps/plugin-dialog', () => dialog);

import type { AppInfo } from './bindings/ipc';
import { chooseFolder, chooseSavePath, currentSaveDir, FILE_NAMES, FILTERS, joinPath, saveDirOf, setSaveDir } from './files';

const info: AppInfo = { version: '0.1.0', practice_endpoint: null, lang: 'en', save_dir: null, code_window_for: null };

beforeEach(() => {
  dialog.save.mockReset();
  dialog.open.mockReset();
});
afterEach(() => setSaveDir(null));

describe('save_dir from app_info', () => {
  it('is read when present and ignored when null, blank or missing', () => {
    expect(saveDirOf(info)).toBeNull();
    expect(saveDirOf({ ...info, save_dir: '/tmp/out' })).toBe('/tmp/out');
    expect(saveDirOf({ ...info, save_dir: '  ' })).toBeNull();
    // An engine from before the field: app_info without save_dir at all.
    expect(saveDirOf({ version: '0.1.0', practice_endpoint: null, lang: 'en' } as unknown as AppInfo)).toBeNull();
  });
});

describe('joinPath', () => {
  it('uses the folder’s own separator, once', () => {
    expect(joinPath('/tmp/out', 'a.md')).toBe('/tmp/out/a.md');
    expect(joinPath('/tmp/out/', 'a.md')).toBe('/tmp/out/a.md');
    expect(joinPath('C:\\Users\\kim\\out', 'a.md')).toBe('C:\\Users\\kim\\out\\a.md');
    expect(joinPath('C:\\Users\\kim\\out\\', 'a.md')).toBe('C:\\Users\\kim\\out\\a.md');
    expect(joinPath('C:/Users/kim', 'a.md')).toBe('C:/Users/kim/a.md');
  });
});

describe('chooseSavePath', () => {
  it('asks with the save dialog when there is no save_dir', async () => {
    dialog.save.mockResolvedValue('/home/kim/report.md');
    expect(currentSaveDir()).toBeNull();
    expect(await chooseSavePath(FILE_NAMES.checkup, [FILTERS.markdown, FILTERS.html])).toBe('/home/kim/report.md');
    expect(dialog.save).toHaveBeenCalledWith({
      defaultPath: 'aws-setup-checkup.md',
      filters: [
        { name: 'Markdown', extensions: ['md'] },
        { name: 'HTML', extensions: ['html'] },
      ],
    });
  });

  it('returns null when the user cancels', async () => {
    dialog.save.mockResolvedValue(null);
    expect(await chooseSavePath('x.csv', [FILTERS.csv])).toBeNull();
  });

  it('skips the dialog and uses save_dir/defaultName when set', async () => {
    setSaveDir('/srv/run');
    expect(await chooseSavePath(FILE_NAMES.summary, [FILTERS.markdown])).toBe('/srv/run/aws-setup-summary.md');
    expect(dialog.save).not.toHaveBeenCalled();
  });
});

describe('chooseFolder', () => {
  it('asks for a directory, or returns save_dir itself', async () => {
    dialog.open.mockResolvedValue('/home/kim/class');
    expect(await chooseFolder()).toBe('/home/kim/class');
    expect(dialog.open).toHaveBeenCalledWith({ directory: true, multiple: false });
    dialog.open.mockResolvedValue(null);
    expect(await chooseFolder()).toBeNull();
    setSaveDir('/srv/run');
    dialog.open.mockClear();
    expect(await chooseFolder()).toBe('/srv/run');
    expect(dialog.open).not.toHaveBeenCalled();
  });
});

describe('default file names', () => {
  it('match the documented names', () => {
    expect(FILE_NAMES.consoleCsv('aws.user1')).toBe('aws.user1_credentials.csv');
    expect(FILE_NAMES.cliImportCsv('aws.user1')).toBe('aws.user1_accessKeys.csv');
    expect(FILE_NAMES.summary).toBe('aws-setup-summary.md');
    expect(FILE_NAMES.checkup).toBe('aws-setup-checkup.md');
    expect(FILE_NAMES.rootMfaQr).toBe('root-mfa-qr.png');
    expect(FILE_NAMES.partnerSheet('gs-support')).toBe('gs-support-handoff.md');
    expect(FILE_NAMES.partnerZip('gs-support')).toBe('gs-support-credentials.zip');
  });
});
