// The OS save dialog. Resolves null when the user cancels.
import { save } from '@tauri-apps/plugin-dialog';

export async function chooseSavePath(defaultPath: string, filterName: string, extensions: string[]): Promise<string | null> {
  const path = await save({ defaultPath, filters: [{ name: filterName, extensions }] });
  return path ?? null;
}
