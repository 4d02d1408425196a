/**
 * The keyboard shortcuts, as one table: the renderer's key handling (renderer/shortcuts.ts), the
 * shortcut sheet (?) and the Electron menus (main/electron/menu-template.ts) are all built from it.
 * Keys use Electron's accelerator syntax ("CmdOrCtrl+E", "Shift+K", "Space", "Left", "?").
 * A punctuation key names the character typed ("?", "Plus" for "+", "_"), so Shift is implied.
 * Pure data: runs in the page, the main process and the tests.
 *
 * Several entries may share a key: the first whose command is available (registered, and its
 * `when` condition true) takes the key. So a context-dependent use of a key (move the selected
 * notes with the arrows) goes before its general use (pick the next variation).
 */
import type { MenuCommand } from './api.js';

export type ShortcutGroup = 'Playback' | 'Generate' | 'Piano roll' | 'Edit' | 'File' | 'Help';
export type MenuName = 'File' | 'Edit' | 'View' | 'Help';

export interface Shortcut {
  command: MenuCommand;
  /** Accelerators; the first is the one the menu shows. */
  keys: readonly string[];
  label: string;
  group: ShortcutGroup;
  /** The Electron menu that lists it (none: only on the keyboard and in the sheet). */
  menu?: MenuName;
}

export const SHORTCUTS: readonly Shortcut[] = [
  // Editing (renderer/edit/edit-commands.ts): before the arrows' other uses, which they pass to
  // when no notes are selected
  { command: 'undo', keys: ['CmdOrCtrl+Z'], label: 'Undo', group: 'Edit', menu: 'Edit' },
  { command: 'redo', keys: ['CmdOrCtrl+Shift+Z', 'CmdOrCtrl+Y'], label: 'Redo', group: 'Edit', menu: 'Edit' },
  {
    command: 'delete',
    keys: ['Delete', 'Backspace'],
    label: 'Delete the selected notes (none selected: the variation)',
    group: 'Edit',
    menu: 'Edit',
  },
  { command: 'select-all-notes', keys: ['CmdOrCtrl+A'], label: 'Select all notes', group: 'Edit' },
  { command: 'clear-selection', keys: ['Escape'], label: 'Select no notes', group: 'Edit' },
  {
    command: 'notes-earlier',
    keys: ['Left'],
    label: 'Move the selected notes a grid step earlier',
    group: 'Edit',
  },
  {
    command: 'notes-later',
    keys: ['Right'],
    label: 'Move the selected notes a grid step later',
    group: 'Edit',
  },
  { command: 'notes-up', keys: ['Up'], label: 'Move the selected notes a semitone up', group: 'Edit' },
  { command: 'notes-down', keys: ['Down'], label: 'Move the selected notes a semitone down', group: 'Edit' },
  {
    command: 'notes-octave-up',
    keys: ['Shift+Up'],
    label: 'Move the selected notes an octave up',
    group: 'Edit',
  },
  {
    command: 'notes-octave-down',
    keys: ['Shift+Down'],
    label: 'Move the selected notes an octave down',
    group: 'Edit',
  },
  {
    command: 'continue-from-here',
    keys: ['Shift+Enter'],
    label: 'Continue from here (the selected notes or the loop region prime a generation)',
    group: 'Generate',
  },
  { command: 'play-stop', keys: ['Space'], label: 'Play / stop', group: 'Playback', menu: 'View' },
  { command: 'toggle-loop', keys: ['L'], label: 'Loop on / off', group: 'Playback', menu: 'View' },
  { command: 'toggle-metronome', keys: ['K'], label: 'Metronome on / off', group: 'Playback', menu: 'View' },
  {
    command: 'toggle-count-in',
    keys: ['Shift+K'],
    label: 'Count-in (one bar) on / off',
    group: 'Playback',
    menu: 'View',
  },
  {
    command: 'playhead-back',
    keys: ['Left'],
    label: 'Playhead back one bar',
    group: 'Playback',
  },
  {
    command: 'playhead-forward',
    keys: ['Right'],
    label: 'Playhead forward one bar',
    group: 'Playback',
  },
  { command: 'generate', keys: ['Enter'], label: 'Generate', group: 'Generate', menu: 'View' },
  {
    command: 'select-previous',
    keys: ['Up'],
    label: 'Select the previous variation',
    group: 'Generate',
  },
  { command: 'select-next', keys: ['Down'], label: 'Select the next variation', group: 'Generate' },
  { command: 'zoom-in', keys: ['='], label: 'Zoom in (time)', group: 'Piano roll', menu: 'View' },
  { command: 'zoom-out', keys: ['-'], label: 'Zoom out (time)', group: 'Piano roll', menu: 'View' },
  {
    command: 'zoom-in-pitch',
    keys: ['Plus'],
    label: 'Zoom in (pitch)',
    group: 'Piano roll',
  },
  { command: 'zoom-out-pitch', keys: ['_'], label: 'Zoom out (pitch)', group: 'Piano roll' },
  { command: 'zoom-fit', keys: ['0'], label: 'Show the whole piece', group: 'Piano roll', menu: 'View' },
  {
    command: 'scroll-left',
    keys: ['CmdOrCtrl+Left'],
    label: 'Scroll earlier',
    group: 'Piano roll',
  },
  {
    command: 'scroll-right',
    keys: ['CmdOrCtrl+Right'],
    label: 'Scroll later',
    group: 'Piano roll',
  },
  { command: 'scroll-up', keys: ['CmdOrCtrl+Up'], label: 'Scroll up (higher)', group: 'Piano roll' },
  {
    command: 'scroll-down',
    keys: ['CmdOrCtrl+Down'],
    label: 'Scroll down (lower)',
    group: 'Piano roll',
  },
  { command: 'import-midi', keys: ['CmdOrCtrl+O'], label: 'Import MIDI files', group: 'File' },
  { command: 'open-project', keys: ['CmdOrCtrl+Alt+O'], label: 'Open a project', group: 'File' },
  {
    command: 'save-project-as',
    keys: ['CmdOrCtrl+S'],
    label: 'Save the pieces as a project',
    group: 'File',
  },
  {
    command: 'export-midi',
    keys: ['CmdOrCtrl+E'],
    label: 'Export the selected variation as MIDI',
    group: 'File',
    menu: 'File',
  },
  {
    command: 'export-wav',
    keys: ['CmdOrCtrl+Shift+E'],
    label: 'Export the selected variation as WAV',
    group: 'File',
    menu: 'File',
  },
  {
    command: 'save-model-as',
    keys: ['CmdOrCtrl+Shift+S'],
    label: 'Save the selected model as a file',
    group: 'File',
    menu: 'File',
  },
  { command: 'show-shortcuts', keys: ['?'], label: 'Keyboard shortcuts', group: 'Help', menu: 'Help' },
];

/** The shortcut of a command (its first entry), if it has one. */
export function shortcutFor(command: MenuCommand): Shortcut | undefined {
  return SHORTCUTS.find((s) => s.command === command);
}

/** True when an accelerator has no modifier (it must not be taken from text fields or menus). */
export function isPlainKey(accelerator: string): boolean {
  return !/(^|\+)(CmdOrCtrl|CommandOrControl|Ctrl|Control|Cmd|Command|Alt|Option|Super|Meta)\+/i.test(
    accelerator,
  );
}
