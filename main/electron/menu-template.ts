/**
 * The application menu as data (Electron's MenuItemConstructorOptions, types only), built from the
 * actions the main process provides; tested without Electron. Accelerators use CmdOrCtrl so the same
 * template fits macOS, Windows and Linux.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/api.js';

export interface MenuActions {
  importMidiFiles(): void;
  importMidiFolder(): void;
  openModel(): void;
  /** Commands the UI carries out (it knows the selected model and piece). */
  send(command: MenuCommand): void;
  about(): void;
  isMac: boolean;
  isDev: boolean;
}

export function buildMenuTemplate(a: MenuActions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Import MIDI…', accelerator: 'CmdOrCtrl+O', click: () => a.importMidiFiles() },
      { label: 'Import MIDI Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => a.importMidiFolder() },
      { type: 'separator' },
      { label: 'Open Model…', accelerator: 'CmdOrCtrl+Shift+M', click: () => a.openModel() },
      { label: 'Save Model As…', accelerator: 'CmdOrCtrl+Shift+S', click: () => a.send('save-model-as') },
      { type: 'separator' },
      { label: 'Export MIDI…', accelerator: 'CmdOrCtrl+E', click: () => a.send('export-midi') },
      { label: 'Export WAV…', accelerator: 'CmdOrCtrl+Shift+E', click: () => a.send('export-wav') },
      { type: 'separator' },
      a.isMac ? { role: 'close' } : { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Play / Stop', accelerator: 'CmdOrCtrl+P', click: () => a.send('play-stop') },
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
    submenu: [{ label: 'About Ostinato', click: () => a.about() }],
  };
  return [
    ...(a.isMac ? ([{ role: 'appMenu' }] as MenuItemConstructorOptions[]) : []),
    file,
    { role: 'editMenu', label: '&Edit' },
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
