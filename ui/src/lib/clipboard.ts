// Copying text, and clearing secrets from the clipboard 30 s later. The
// Tauri clipboard plugin is used when the app has it; the browser clipboard
// otherwise.
import { clear, writeText } from '@tauri-apps/plugin-clipboard-manager';

export const CLEAR_AFTER_MS = 30_000;

let clearTimer: ReturnType<typeof setTimeout> | undefined;

async function write(text: string): Promise<void> {
  try {
    await writeText(text);
  } catch {
    await navigator.clipboard.writeText(text);
  }
}

async function wipe(): Promise<void> {
  try {
    await clear();
  } catch {
    await navigator.clipboard.writeText('').catch(() => undefined);
  }
}

/**
 * Copies `text`. With `secret`, the clipboard is cleared `CLEAR_AFTER_MS`
 * later and `onCleared` is called then. Resolves false when copying failed.
 */
export async function copyText(text: string, options: { secret?: boolean; onCleared?: () => void } = {}): Promise<boolean> {
  try {
    await write(text);
  } catch {
    return false;
  }
  if (options.secret) {
    clearTimeout(clearTimer);
    clearTimer = setTimeout(() => {
      void wipe().then(() => options.onCleared?.());
    }, CLEAR_AFTER_MS);
  }
  return true;
}
