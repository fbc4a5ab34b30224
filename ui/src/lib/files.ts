// Where the app writes files: the OS save and folder dialogs, or, for
// unattended runs (AWS_SETUP_SAVE_DIR, reported by app_info as `save_dir`),
// a fixed folder with no dialog at all. Every screen goes through here.
import { open, save } from '@tauri-apps/plugin-dialog';
import type { AppInfo } from './bindings/ipc';

export interface FileFilter {
  name: string;
  extensions: string[];
}

export const FILTERS = {
  csv: { name: 'CSV', extensions: ['csv'] },
  markdown: { name: 'Markdown', extensions: ['md'] },
  html: { name: 'HTML', extensions: ['html'] },
  png: { name: 'PNG', extensions: ['png'] },
  zip: { name: 'ZIP', extensions: ['zip'] },
} satisfies Record<string, FileFilter>;

/** The default file names, one place for every export. */
export const FILE_NAMES = {
  consoleCsv: (user: string) => `${user}_credentials.csv`,
  cliImportCsv: (user: string) => `${user}_accessKeys.csv`,
  summary: 'aws-setup-summary.md',
  checkup: 'aws-setup-checkup.md',
  rootMfaQr: 'root-mfa-qr.png',
  partnerSheet: (user: string) => `${user}-handoff.md`,
  partnerZip: (user: string) => `${user}-credentials.zip`,
};

let saveDir: string | null = null;

/** `save_dir` of app_info (AWS_SETUP_SAVE_DIR); blank counts as unset. */
export function saveDirOf(info: AppInfo): string | null {
  const dir = info.save_dir;
  return typeof dir === 'string' && dir.trim() !== '' ? dir : null;
}

/** Set once at start (App.svelte); null means "ask with a dialog". */
export function setSaveDir(dir: string | null): void {
  saveDir = dir;
}

export function currentSaveDir(): string | null {
  return saveDir;
}

/** `dir` + `name`, with the folder's own separator and no doubled one. */
export function joinPath(dir: string, name: string): string {
  const windows = dir.includes('\\') && !dir.includes('/');
  const separator = windows ? '\\' : '/';
  return /[\\/]$/.test(dir) ? `${dir}${name}` : `${dir}${separator}${name}`;
}

/** A path to save `defaultName` to; null when the user cancels. */
export async function chooseSavePath(defaultName: string, filters: FileFilter[]): Promise<string | null> {
  if (saveDir !== null) return joinPath(saveDir, defaultName);
  const path = await save({ defaultPath: defaultName, filters });
  return path ?? null;
}

/** A folder to write into; null when the user cancels. */
export async function chooseFolder(): Promise<string | null> {
  if (saveDir !== null) return saveDir;
  const dir = await open({ directory: true, multiple: false });
  return typeof dir === 'string' ? dir : null;
}
