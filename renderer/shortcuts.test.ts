import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MenuCommand } from '../main/shared/api.js';
import { isPlainKey, SHORTCUTS, shortcutFor } from '../main/shared/shortcuts.js';
import {
  keyLabel,
  matches,
  parseAccelerator,
  shortcutsFor,
  yieldsToTyping,
  type KeyLike,
} from './shortcuts.js';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

test('every accelerator in the table parses, and no two entries of one command repeat', () => {
  for (const s of SHORTCUTS) for (const k of s.keys) assert.doesNotThrow(() => parseAccelerator(k), k);
  const commands = SHORTCUTS.map((s) => s.command);
  assert.equal(new Set(commands).size, commands.length);
});

test('the issue’s shortcuts are in the table: space, Enter, arrows, Ctrl+E, ?', () => {
  const keys = (c: MenuCommand) => shortcutFor(c)?.keys;
  assert.deepEqual(keys('play-stop'), ['Space']);
  assert.deepEqual(keys('generate'), ['Enter']);
  assert.deepEqual(keys('export-midi'), ['CmdOrCtrl+E']);
  assert.deepEqual(keys('show-shortcuts'), ['?']);
  assert.deepEqual(keys('select-next'), ['Down']);
});

test('CmdOrCtrl is Ctrl off macOS and ⌘ on it; the other one does not match', () => {
  assert.ok(matches(key('e', { ctrlKey: true }), 'CmdOrCtrl+E', false));
  assert.ok(!matches(key('e', { metaKey: true }), 'CmdOrCtrl+E', false));
  assert.ok(matches(key('e', { metaKey: true }), 'CmdOrCtrl+E', true));
  assert.ok(!matches(key('e', { ctrlKey: true }), 'CmdOrCtrl+E', true));
  assert.ok(!matches(key('e'), 'CmdOrCtrl+E', false));
  assert.ok(!matches(key('E', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+E', false));
  assert.ok(matches(key('E', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+Shift+E', false));
});

test('letters and named keys need Shift exactly; punctuation carries it in the character', () => {
  assert.ok(matches(key('k'), 'K', false));
  assert.ok(!matches(key('K', { shiftKey: true }), 'K', false));
  assert.ok(matches(key('K', { shiftKey: true }), 'Shift+K', false));
  assert.ok(matches(key('?', { shiftKey: true }), '?', false));
  assert.ok(matches(key('+', { shiftKey: true }), 'Plus', false));
  assert.ok(!matches(key('+', { shiftKey: true }), '=', false));
  assert.ok(matches(key(' '), 'Space', false));
  assert.ok(matches(key('ArrowLeft'), 'Left', false));
  assert.ok(!matches(key('ArrowLeft', { ctrlKey: true }), 'Left', false));
  assert.ok(matches(key('ArrowLeft', { ctrlKey: true }), 'CmdOrCtrl+Left', false));
});

test('shortcutsFor finds the entries of a key in table order; an unknown key finds none', () => {
  assert.deepEqual(
    shortcutsFor(key('Enter'), false).map((s) => s.command),
    ['generate'],
  );
  const table = [
    { command: 'select-next' as const, keys: ['Down'], label: 'a', group: 'Edit' as const },
    { command: 'scroll-down' as const, keys: ['Down'], label: 'b', group: 'Edit' as const },
  ];
  assert.deepEqual(
    shortcutsFor(key('ArrowDown'), false, table).map((s) => s.command),
    ['select-next', 'scroll-down'],
  );
  assert.deepEqual(shortcutsFor(key('F7'), false), []);
});

test('key labels for the sheet, per platform', () => {
  assert.equal(keyLabel('CmdOrCtrl+E', false), 'Ctrl+E');
  assert.equal(keyLabel('CmdOrCtrl+Shift+E', true), '⌘⇧E');
  assert.equal(keyLabel('Space', false), 'Space');
  assert.equal(keyLabel('Left', false), '←');
  assert.equal(keyLabel('Plus', false), '+');
  assert.equal(keyLabel('?', false), '?');
});

test('plain keys are those without Ctrl/⌘/Alt (Shift alone types a character)', () => {
  assert.ok(isPlainKey('Space'));
  assert.ok(isPlainKey('Shift+K'));
  assert.ok(!isPlainKey('CmdOrCtrl+E'));
  assert.ok(!isPlainKey('Alt+Left'));
  assert.throws(() => parseAccelerator('Hyper+X'), /Unknown modifier/);
  assert.throws(() => parseAccelerator('Foo'), /Unknown key/);
});

test('in a text field the field keeps plain keys, undo and the word moves; Ctrl+E still exports', () => {
  assert.ok(yieldsToTyping('Space'));
  assert.ok(yieldsToTyping('CmdOrCtrl+Z'));
  assert.ok(yieldsToTyping('CmdOrCtrl+Shift+Z'));
  assert.ok(yieldsToTyping('CmdOrCtrl+Left'));
  assert.ok(!yieldsToTyping('CmdOrCtrl+E'));
  assert.ok(!yieldsToTyping('CmdOrCtrl+Shift+S'));
});
