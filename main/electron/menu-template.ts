/**
 * The application menu as data (Electron's MenuItemConstructorOptions, types only), built from the
 * actions the main process provides; tested without Electron. Accelerators use CmdOrCtrl so the same
 * template fits macOS, Windows and Linux.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, ProjectRef } from '../shared/api.js';
import { isPlainKey, SHORTCUTS, shortcutFor, type MenuName } from '../shared/shortcuts.js';

export interface MenuActions {
  importMidiFiles(): void;
  importMidiFolder(): void;
  openModel(): void;
  /** The recent projects, newest first (File > Open Recent). */
  recent: ProjectRef[];
  openRecent(project: ProjectRef): void;
  /** Commands the UI carries out (it knows the selected model and piece). */
  send(command: MenuCommand): void;
  about(): void;
  isMac: boolean;
  isDev: boolean;
}

/**
 * A menu item for a command of the shortcut table, with its key. A key without Ctrl/⌘/Alt is only
 * shown (registerAccelerator: false): the page handles it, so typing a space or an arrow in a
 * field still types it. macOS menus would take such a key from the page whatever the flag says, so
 * there the key is written in the label instead ("Play / stop (Space)").
 */
function commandItem(
  a: MenuActions,
  command: MenuCommand,
  label?: string,
  pageKey = false,
): MenuItemConstructorOptions {
  const s = shortcutFor(command);
  const key = s?.keys[0];
  const text = label ?? s?.label ?? command;
  if (key && isPlainKey(key) && a.isMac) return { label: `${text} (${key})`, click: () => a.send(command) };
  return {
    label: text,
    ...(key ? { accelerator: key, registerAccelerator: !pageKey && !isPlainKey(key) } : {}),
    click: () => a.send(command),
  };
}

/** The table's commands listed in one menu, in table order. */
function tableItems(a: MenuActions, menu: MenuName, skip: MenuCommand[] = []): MenuItemConstructorOptions[] {
  return SHORTCUTS.filter((s) => s.menu === menu && !skip.includes(s.command)).map((s) =>
    commandItem(a, s.command),
  );
}

/** File > Open Recent: one item per project (its folder in the tooltip), or one disabled line. */
export function recentSubmenu(a: MenuActions): MenuItemConstructorOptions[] {
  if (!a.recent.length) return [{ label: 'No recent projects', enabled: false }];
  return a.recent.map((p) => ({ label: p.name, toolTip: p.path, click: () => a.openRecent(p) }));
}

export function buildMenuTemplate(a: MenuActions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      commandItem(a, 'open-project', 'Open Project…'),
      { label: 'Open Recent', submenu: recentSubmenu(a) },
      commandItem(a, 'save-project-as', 'Save Project As…'),
      { type: 'separator' },
      {
        label: 'Import MIDI…',
        accelerator: shortcutFor('import-midi')?.keys[0],
        click: () => a.importMidiFiles(),
      },
      { label: 'Import MIDI Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => a.importMidiFolder() },
      { type: 'separator' },
      { label: 'Open Model…', accelerator: 'CmdOrCtrl+Shift+M', click: () => a.openModel() },
      commandItem(a, 'save-model-as', 'Save Model As…'),
      { type: 'separator' },
      commandItem(a, 'export-midi', 'Export MIDI…'),
      commandItem(a, 'export-wav', 'Export WAV…'),
      ...tableItems(a, 'File', ['save-model-as', 'export-midi', 'export-wav']),
      { type: 'separator' },
      a.isMac ? { role: 'close' } : { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  // Undo, Redo and Delete act on the piano roll's notes and the variations; their keys stay the
  // page's (registerAccelerator: false) so that in a text field Ctrl+Z, Delete… still edit the text.
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      commandItem(a, 'undo', 'Undo', true),
      commandItem(a, 'redo', 'Redo', true),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      commandItem(a, 'delete', 'Delete', true),
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...tableItems(a, 'View'),
      { type: 'separator' },
      ...(a.isDev
        ? ([
            { role: 'reload' },
            { role: 'toggleDevTools' },
            { type: 'separator' },
          ] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [
      ...tableItems(a, 'Help'),
      { type: 'separator' },
      { label: 'About Ostinato', click: () => a.about() },
    ],
  };
  return [
    ...(a.isMac ? ([{ role: 'appMenu' }] as MenuItemConstructorOptions[]) : []),
    file,
    edit,
    view,
    help,
  ];
}

export const ABOUT_TEXT = [
  'Ostinato learns from your own MIDI files: it trains an LSTM on their notes and chords, generates new melodies and chord passages, plays them and exports MIDI.',
  '',
  'Piano samples: Salamander Grand Piano by Alexander Holm, licensed CC-BY 3.0 (https://creativecommons.org/licenses/by/3.0/).',
  'Default corpus: J. S. Bach chorales (public domain).',
].join('\n');
