// Every Tauri command the app defines is registered, has a permission, and
// is granted to the window: a command missing from any of the four lists
// fails in the real app only ("something unexpected went wrong"), never in
// the mocked screens, so the lists are compared here.
import { describe, expect, it } from 'vitest';
import commandsRs from '../../../src-tauri/src/commands.rs?raw';
import libRs from '../../../src-tauri/src/lib.rs?raw';
import buildRs from '../../../src-tauri/build.rs?raw';
import capability from '../../../capabilities/main-window.json?raw';
import ipcTs from './ipc.ts?raw';

const defined = [...commandsRs.matchAll(/#\[tauri::command\]\s*pub (?:async )?fn (\w+)/g)].map((m) => m[1]);
const registered = [...libRs.matchAll(/commands::(\w+),/g)].map((m) => m[1]);
const permitted = [...buildRs.slice(buildRs.indexOf('COMMANDS')).matchAll(/"(\w+)",/g)].map((m) => m[1]);
const granted = (JSON.parse(capability).permissions as unknown[])
  .filter((p): p is string => typeof p === 'string' && p.startsWith('allow-'))
  .map((p) => p.slice('allow-'.length).replaceAll('-', '_'));
const invoked = [...ipcTs.matchAll(/invoke<[^>]*>\('(\w+)'/g)].map((m) => m[1]);

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
