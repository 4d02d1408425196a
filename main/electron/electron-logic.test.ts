// The Electron-side rules that can run without an Electron binary: trust checks, the menu, reading
// the files chosen in a native import dialog. (main.ts itself only wires these to Electron.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { APP_URL, isAppUrl, isPermissionAllowed, navigationDecision } from './trust.js';
import { SHORTCUTS, shortcutFor } from '../shared/shortcuts.js';
import { ABOUT_TEXT, buildMenuTemplate, recentSubmenu } from './menu-template.js';
import { readImportPaths } from './import-paths.js';
import { userDataOverride } from './options.js';
import { handleIpcCall, type IpcSender } from './ipc.js';
import type { GeneratedPiece, OstinatoApi } from '../shared/api.js';
import { LIMITS } from '../shared/validate.js';
import { NOTTINGHAM, tempDir } from '../services/host.fixture.js';

test('only the app origin is trusted; allow-listed https pages open outside; everything else is denied', () => {
  assert.equal(isAppUrl(APP_URL), true);
  assert.equal(isAppUrl('app://ostinato/assets/samples/salamander/A4.mp3'), true);
  for (const u of [
    'app://evil/index.html',
    'app://user:pw@ostinato/',
    'file:///etc/passwd',
    'http://127.0.0.1:3000/',
    'https://ostinato/',
    '',
    'javascript:alert(1)',
    'not a url',
  ]) {
    assert.equal(isAppUrl(u), false, u);
  }
  assert.equal(navigationDecision('app://ostinato/index.html#x'), 'allow');
  assert.equal(navigationDecision('https://creativecommons.org/licenses/by/3.0/'), 'external');
  assert.equal(navigationDecision('https://www.gnu.org/licenses/gpl-3.0.html'), 'external');
  assert.equal(navigationDecision('https://opensource.org/licenses/MIT'), 'external');
  for (const u of [
    'https://example.com/',
    'https://creativecommons.org/', // the host, but not the licences
    'https://creativecommons.org.evil.example/licenses/by/3.0/',
    'https://evil.example/?https://creativecommons.org/licenses/',
    'https://creativecommons.org:8443/licenses/by/3.0/',
    'https://user@creativecommons.org/licenses/by/3.0/',
    'http://creativecommons.org/licenses/by/3.0/',
  ]) {
    assert.equal(navigationDecision(u), 'deny', u);
  }
  assert.equal(navigationDecision('https://user:pw@example.com/'), 'deny');
  assert.equal(navigationDecision('http://example.com/'), 'deny');
  assert.equal(navigationDecision('file:///home/me/.ssh/id_rsa'), 'deny');
  assert.equal(navigationDecision('javascript:alert(1)'), 'deny');
  assert.equal(isPermissionAllowed('clipboard-sanitized-write', APP_URL), true);
  for (const p of [
    'media',
    'geolocation',
    'notifications',
    'midi',
    'midiSysex',
    'hid',
    'serial',
    'openExternal',
    'pointerLock',
  ]) {
    assert.equal(isPermissionAllowed(p, APP_URL), false, p);
  }
  assert.equal(isPermissionAllowed('fullscreen', 'https://evil.example/'), false);
});

test('menu: File, Edit, View, Help with the expected items and accelerators; actions wired', () => {
  const calls: string[] = [];
  const template = buildMenuTemplate({
    importMidiFiles: () => calls.push('import-files'),
    importMidiFolder: () => calls.push('import-folder'),
    openModel: () => calls.push('open-model'),
    send: (c) => calls.push(`send:${c}`),
    about: () => calls.push('about'),
    recent: [],
    openRecent: () => calls.push('open-recent'),
    isMac: false,
    isDev: false,
  });
  assert.deepEqual(
    template.map((m) => m.label),
    ['&File', '&Edit', '&View', '&Help'],
  );
  const items = (m: MenuItemConstructorOptions) =>
    (m.submenu as MenuItemConstructorOptions[]).filter((i) => i.label);
  const file = items(template[0]);
  assert.deepEqual(
    file.map((i) => [i.label, i.accelerator]),
    [
      ['Open Project…', 'CmdOrCtrl+Alt+O'],
      ['Open Recent', undefined],
      ['Save Project As…', 'CmdOrCtrl+S'],
      ['Import MIDI…', 'CmdOrCtrl+O'],
      ['Import MIDI Folder…', 'CmdOrCtrl+Shift+O'],
      ['Open Model…', 'CmdOrCtrl+Shift+M'],
      ['Save Model As…', 'CmdOrCtrl+Shift+S'],
      ['Export MIDI…', 'CmdOrCtrl+E'],
      ['Export WAV…', 'CmdOrCtrl+Shift+E'],
    ],
  );
  // Edit: Undo / Redo / Delete from the shortcut table, their keys left to the page (text fields)
  const edit = items(template[1]);
  assert.deepEqual(
    edit.map((i) => [i.label, i.accelerator, i.registerAccelerator]),
    [
      ['Undo', 'CmdOrCtrl+Z', false],
      ['Redo', 'CmdOrCtrl+Shift+Z', false],
      ['Delete', 'Delete', false],
    ],
  );
  assert.deepEqual(
    (template[1].submenu as MenuItemConstructorOptions[]).filter((i) => i.role).map((i) => i.role),
    ['cut', 'copy', 'paste', 'selectAll'],
  );
  for (const i of edit) (i.click as () => void)();
  assert.deepEqual(calls.splice(0), ['send:undo', 'send:redo', 'send:delete']);
  for (const i of [...file, ...items(template[2]), ...items(template[3])])
    (i.click as (() => void) | undefined)?.();
  const viewCommands = SHORTCUTS.filter((s) => s.menu === 'View').map((s) => `send:${s.command}`);
  assert.ok(viewCommands.includes('send:play-stop') && viewCommands.includes('send:generate'));
  assert.deepEqual(calls, [
    'send:open-project',
    'send:save-project-as',
    'import-files',
    'import-folder',
    'open-model',
    'send:save-model-as',
    'send:export-midi',
    'send:export-wav',
    ...viewCommands,
    'send:show-shortcuts',
    'about',
  ]);
  // The menus show the shortcut table's keys; keys without Ctrl/⌘ are only shown (the page has them).
  const view = items(template[2]);
  const play = view.find((i) => i.label === shortcutFor('play-stop')!.label)!;
  assert.equal(play.accelerator, 'Space');
  assert.equal(play.registerAccelerator, false);
  assert.equal(file.find((i) => i.label === 'Export MIDI…')!.registerAccelerator, true);
  for (const s of SHORTCUTS.filter((x) => x.menu))
    assert.ok(
      template.some((m) =>
        ((m.submenu as MenuItemConstructorOptions[] | undefined) ?? []).some(
          (i) => i.accelerator === s.keys[0],
        ),
      ),
      `${s.command} is in a menu with ${s.keys[0]}`,
    );
  const accels = template.flatMap((m) =>
    ((m.submenu as MenuItemConstructorOptions[] | undefined) ?? []).map((i) => i.accelerator).filter(Boolean),
  );
  assert.equal(new Set(accels).size, accels.length, 'no accelerator used twice');
  assert.ok(
    !(template[2].submenu as MenuItemConstructorOptions[]).some((i) => i.role === 'toggleDevTools'),
    'no dev tools in the packaged app',
  );
  assert.match(ABOUT_TEXT, /Salamander Grand Piano by Alexander Holm, licensed CC-BY 3\.0/);
  const mac = buildMenuTemplate({
    importMidiFiles() {},
    importMidiFolder() {},
    openModel() {},
    send() {},
    about() {},
    recent: [],
    openRecent() {},
    isMac: true,
    isDev: true,
  });
  assert.equal(mac[0].role, 'appMenu');
  // macOS: a plain key is written in the label, never an accelerator the menu would take
  const macView = (mac.find((m) => m.label === '&View')!.submenu as MenuItemConstructorOptions[]).filter(
    (i) => i.label,
  );
  const macPlay = macView.find((i) => i.label!.startsWith(shortcutFor('play-stop')!.label))!;
  assert.equal(macPlay.accelerator, undefined);
  assert.match(macPlay.label!, / \(Space\)$/);
});

test('menu: File > Open Recent lists the recent projects newest first and opens the one clicked', () => {
  const opened: string[] = [];
  const recent = [
    { name: 'Reel', path: '/p/Reel.ostinato.json' },
    { name: 'Jig', path: '/p/Jig.ostinato.json' },
  ];
  const actions = {
    importMidiFiles() {},
    importMidiFolder() {},
    openModel() {},
    send() {},
    about() {},
    recent,
    openRecent: (p: { path: string }) => opened.push(p.path),
    isMac: false,
    isDev: false,
  };
  const file = buildMenuTemplate(actions)[0].submenu as MenuItemConstructorOptions[];
  const sub = file.find((i) => i.label === 'Open Recent')!.submenu as MenuItemConstructorOptions[];
  assert.deepEqual(
    sub.map((i) => [i.label, i.toolTip]),
    [
      ['Reel', '/p/Reel.ostinato.json'],
      ['Jig', '/p/Jig.ostinato.json'],
    ],
  );
  (sub[1].click as () => void)();
  assert.deepEqual(opened, ['/p/Jig.ostinato.json']);
  const none = recentSubmenu({ ...actions, recent: [] });
  assert.deepEqual(none, [{ label: 'No recent projects', enabled: false }]);
});

test('native import: folders searched for MIDI files, explicit files tried, big and unreadable files reported', async (t) => {
  const dir = tempDir(t);
  const folder = join(dir, 'Reels');
  mkdirSync(join(folder, 'sub'), { recursive: true });
  mkdirSync(join(folder, '.hidden'));
  writeFileSync(join(folder, 'a.mid'), 'MThd-a');
  writeFileSync(join(folder, 'sub', 'b.MIDI'), 'MThd-b');
  writeFileSync(join(folder, 'notes.txt'), 'not midi');
  writeFileSync(join(folder, '.hidden', 'c.mid'), 'hidden');
  symlinkSync(NOTTINGHAM, join(folder, 'link'));
  writeFileSync(join(dir, 'explicit.bin'), 'MThd-x');
  const big = join(dir, 'big.mid');
  writeFileSync(big, new Uint8Array(LIMITS.maxFileBytes + 1));
  const r = await readImportPaths([folder, join(dir, 'explicit.bin'), big, join(dir, 'gone.mid')]);
  assert.deepEqual(
    r.batches.flat().map((f) => [f.name, new TextDecoder().decode(f.data)]),
    [
      ['Reels/a.mid', 'MThd-a'],
      ['Reels/sub/b.MIDI', 'MThd-b'],
      ['explicit.bin', 'MThd-x'],
    ],
  );
  assert.deepEqual(r.skipped, [
    { name: 'gone.mid', reason: 'no such file or folder' },
    { name: 'big.mid', reason: 'file is too large (50.0 MB; the limit is 50.0 MB)' },
  ]);
});

test('user data folder: --user-data DIR, --user-data=DIR, OSTINATO_USER_DATA, else the default', () => {
  assert.equal(userDataOverride(['electron', '.', '--user-data', '/tmp/u1'], {}), '/tmp/u1');
  assert.equal(
    userDataOverride(['electron', '.', '--user-data=/tmp/u2'], { OSTINATO_USER_DATA: '/tmp/x' }),
    '/tmp/u2',
  );
  assert.equal(userDataOverride(['electron', '.'], { OSTINATO_USER_DATA: '/tmp/u3' }), '/tmp/u3');
  assert.equal(userDataOverride(['electron', '.', '--user-data', '--no-sandbox'], {}), null);
  assert.equal(userDataOverride(['electron', '.'], {}), null);
});

test('IPC: only the app window top frame at app://ostinato may call; calls are validated; errors are plain messages', async () => {
  const calls: string[] = [];
  const api = {
    modelsList: async () => (calls.push('modelsList'), []),
    modelDelete: async (id: string) => {
      calls.push(`modelDelete:${id}`);
      throw new Error(`There is no model with id "${id}"`);
    },
  } as unknown as OstinatoApi;
  const ok: IpcSender = { isAppWindow: true, isMainFrame: true, frameUrl: 'app://ostinato/index.html' };
  const drags: string[] = [];
  const drag = async (p: GeneratedPiece) => (drags.push(p.id), true);
  assert.deepEqual(await handleIpcCall(api, ok, 'modelsList', [], drag), { ok: true, result: [] });
  const refused = { ok: false, message: 'Refused: this page may not use the Ostinato API' };
  for (const s of [
    { ...ok, isAppWindow: false },
    { ...ok, isMainFrame: false },
    { ...ok, frameUrl: 'https://evil.example/' },
    { ...ok, frameUrl: 'file:///tmp/x.html' },
    { ...ok, frameUrl: undefined },
  ]) {
    assert.deepEqual(await handleIpcCall(api, s, 'modelsList', [], drag), refused);
  }
  assert.deepEqual(await handleIpcCall(api, ok, 'modelDelete', ['../x'], drag), {
    ok: false,
    message: "modelDelete: id is not a valid id (got \"../x\"): only a-z, 0-9, '-' and '_' are allowed",
  });
  assert.deepEqual(await handleIpcCall(api, ok, 'modelDelete', ['m-1'], drag), {
    ok: false,
    message: 'There is no model with id "m-1"',
  });
  assert.deepEqual(await handleIpcCall(api, ok, 'require', ['fs'], drag), {
    ok: false,
    message: 'method "require" is not an API method',
  });
  const piece: GeneratedPiece = {
    id: 'p-1',
    name: 'P',
    seed: 1,
    bpm: 120,
    timeSignature: [4, 4],
    bars: 1,
    durationSeconds: 2,
    notes: [{ pitch: 60, time: 0, duration: 1, velocity: 1 }],
    primerNotes: 0,
  };
  assert.deepEqual(await handleIpcCall(api, ok, 'startDrag', [piece], drag), { ok: true, result: true });
  const bad = await handleIpcCall(api, ok, 'startDrag', [{ ...piece, notes: 'x' }], drag);
  assert.equal(bad.ok, false);
  assert.deepEqual(drags, ['p-1']);
  assert.deepEqual(calls, ['modelsList', 'modelDelete:m-1']);
});
