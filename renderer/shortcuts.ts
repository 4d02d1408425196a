/**
 * Keyboard shortcuts in the page: matches key events against the shared table
 * (main/shared/shortcuts.ts) and runs the command of the first available entry. The matching and the
 * key labels are pure (unit tested); installShortcuts() adds the one keydown listener.
 */
import type { MenuCommand } from '../main/shared/api.js';
import { isPlainKey, SHORTCUTS, type Shortcut } from '../main/shared/shortcuts.js';
import { commandAvailable, runCommand } from './commands.js';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Parsed {
  key: string; // as KeyboardEvent.key gives it (letters lower case)
  cmdOrCtrl: boolean;
  shift: boolean;
  alt: boolean;
}

/** Electron key names → KeyboardEvent.key. */
const NAMED: Record<string, string> = {
  space: ' ',
  enter: 'Enter',
  return: 'Enter',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  up: 'ArrowUp',
  down: 'ArrowDown',
  delete: 'Delete',
  backspace: 'Backspace',
  esc: 'Escape',
  escape: 'Escape',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  tab: 'Tab',
  plus: '+',
};

export function parseAccelerator(accelerator: string): Parsed {
  const parts = accelerator.split('+');
  // "Shift++" is not a valid accelerator; "Plus" names the key. A lone "+" key is parts ['', ''].
  const keyName = parts.pop() ?? '';
  const out: Parsed = { key: '', cmdOrCtrl: false, shift: false, alt: false };
  for (const m of parts.map((p) => p.toLowerCase())) {
    if (['cmdorctrl', 'commandorcontrol', 'ctrl', 'control', 'cmd', 'command', 'meta', 'super'].includes(m))
      out.cmdOrCtrl = true;
    else if (m === 'shift') out.shift = true;
    else if (m === 'alt' || m === 'option') out.alt = true;
    else throw new Error(`Unknown modifier "${m}" in the shortcut "${accelerator}"`);
  }
  const named = NAMED[keyName.toLowerCase()];
  if (named) out.key = named;
  else if (keyName.length === 1) out.key = keyName.toLowerCase();
  else throw new Error(`Unknown key "${keyName}" in the shortcut "${accelerator}"`);
  return out;
}

const isLetter = (k: string) => /^[a-z]$/.test(k);
const isPunctuation = (k: string) => k.length === 1 && !isLetter(k) && !/^[0-9 ]$/.test(k);

/** Does the key event press this accelerator? CmdOrCtrl is ⌘ on macOS, Ctrl elsewhere. */
export function matches(e: KeyLike, accelerator: string, isMac: boolean): boolean {
  const a = parseAccelerator(accelerator);
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key !== a.key) return false;
  const cmdOrCtrl = isMac ? e.metaKey : e.ctrlKey;
  const other = isMac ? e.ctrlKey : e.metaKey;
  if (cmdOrCtrl !== a.cmdOrCtrl || other || e.altKey !== a.alt) return false;
  // A punctuation character already says whether Shift was down ("?" is Shift+/ on many layouts).
  return isPunctuation(a.key) || e.shiftKey === a.shift;
}

/** The table's entries that this key event presses, in table order. */
export function shortcutsFor(e: KeyLike, isMac: boolean, table: readonly Shortcut[] = SHORTCUTS): Shortcut[] {
  return table.filter((s) => s.keys.some((k) => matches(e, k, isMac)));
}

const LABELS: Record<string, string> = {
  ' ': 'Space',
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
};

/** How the sheet writes an accelerator: "Ctrl+E" (⌘E on macOS), "Shift+K", "Space", "←". */
export function keyLabel(accelerator: string, isMac: boolean): string {
  const a = parseAccelerator(accelerator);
  const key = LABELS[a.key] ?? (a.key.length === 1 ? a.key.toUpperCase() : a.key);
  const mods = [
    a.cmdOrCtrl ? (isMac ? '⌘' : 'Ctrl') : '',
    a.alt ? (isMac ? '⌥' : 'Alt') : '',
    a.shift ? (isMac ? '⇧' : 'Shift') : '',
  ].filter(Boolean);
  return isMac ? [...mods, key].join('') : [...mods, key].join('+');
}

export function isMacPlatform(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

/** Ctrl/⌘ keys that edit or move in a text field: there they stay the field's. */
const TEXT_EDIT_KEYS = new Set([
  'z',
  'y',
  'a',
  'c',
  'v',
  'x',
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
]);

/** Does a text field keep this key (no shortcut while typing)? Every plain key, and Ctrl+Z, Ctrl+←… */
export function yieldsToTyping(accelerator: string): boolean {
  if (isPlainKey(accelerator)) return true;
  const a = parseAccelerator(accelerator);
  return a.cmdOrCtrl && !a.alt && TEXT_EDIT_KEYS.has(a.key);
}

/** A field that takes typed keys: plain-key shortcuts leave it alone. */
function typingIn(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  if (t instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'range', 'button', 'submit', 'reset', 'color', 'file'].includes(t.type);
  return false;
}

/** Enter already activates a focused control: it stays with it (Space always plays / stops). */
function activatesControl(t: EventTarget | null, key: string): boolean {
  if (key !== 'Enter') return false;
  return t instanceof HTMLElement && !!t.closest('button, a, summary, [role="button"], input');
}

/** The one keydown listener for every shortcut in the table. */
export function installShortcuts(): void {
  const isMac = isMacPlatform();
  window.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const found = shortcutsFor(e, isMac);
    if (!found.length) return;
    const plain = found.every((s) => s.keys.every(isPlainKey));
    if (
      typingIn(e.target) &&
      found.some((s) => s.keys.some((k) => matches(e, k, isMac) && yieldsToTyping(k)))
    )
      return;
    if (plain && activatesControl(e.target, e.key)) return;
    // A modal dialog keeps its keys (Escape closes it), except the sheet's own key.
    const dialog = document.querySelector('dialog[open]');
    if (dialog && !found.some((s) => s.command === 'show-shortcuts')) return;
    const entry = found.find((s) => commandAvailable(s.command));
    if (!entry) return;
    e.preventDefault();
    if (e.repeat && !REPEATS.has(entry.command)) return;
    void runCommand(entry.command);
  });
  // A focused button must not also "click" on the space bar's keyup once Space played or stopped.
  window.addEventListener('keyup', (e) => {
    if (e.key === ' ' && !typingIn(e.target)) e.preventDefault();
  });
}

/** Commands a held key repeats (the others run once per press). */
const REPEATS = new Set<MenuCommand>([
  'notes-earlier',
  'notes-later',
  'notes-up',
  'notes-down',
  'undo',
  'redo',
  'playhead-back',
  'playhead-forward',
  'select-previous',
  'select-next',
  'zoom-in',
  'zoom-out',
  'zoom-in-pitch',
  'zoom-out-pitch',
  'scroll-left',
  'scroll-right',
  'scroll-up',
  'scroll-down',
]);
