// Every Tauri command the app defines is registered, has a permission, and
// is granted to the window: a command missing from any of the four lists
// fails in the real app only ("something unexpected went wrong"), never in
// the mocked screens, so the lists are compared here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

const defined = [...read('src-tauri/src/commands.rs').matchAll(/#\[tauri::command\]\s*pub (?:async )?fn (\w+)/g)].map((m) => m[1]);
const registered = [...read('src-tauri/src/lib.rs').matchAll(/commands::(\w+),/g)].map((m) => m[1]);
const buildList = read('src-tauri/build.rs');
const permitted = [...buildList.slice(buildList.indexOf('COMMANDS')).matchAll(/"(\w+)",/g)].map((m) => m[1]);
const granted = (JSON.parse(read("src-tauri/capabilities/main-window.json")).permissions as unknown[])
  .filter((p): p is string => typeof p === 'string' && p.startsWith('allow-'))
  .map((p) => p.slice('allow-'.length).replaceAll('-', '_'));
const invoked = [...read('ui/src/lib/ipc.ts').matchAll(/invoke<[^>]*>\('(\w+)'/g)].map((m) => m[1]);

describe('the app commands', () => {
  it('are found in the sources', () => {
    expect(defined.length).toBeGreaterThan(40);
  });
  it('are each registered, permitted and granted to the window', () => {
    for (const command of defined) {
      expect(registered, `${command} is registered in lib.rs`).toContain(command);
      expect(permitted, `${command} is in build.rs COMMANDS`).toContain(command);
      expect(granted, `${command} is granted in capabilities/main-window.json`).toContain(command);
    }
  });
  it('include every command the screens invoke', () => {
    for (const command of invoked) expect(defined, `ipc.ts invokes ${command}`).toContain(command);
  });
});
