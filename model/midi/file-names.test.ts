import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMidiFileName } from './file-names.js';

test('isMidiFileName', () => {
  assert.ok(isMidiFileName('a.mid'));
  assert.ok(isMidiFileName('A.MIDI'));
  assert.ok(isMidiFileName('folder/B.MIDI'));
  assert.ok(isMidiFileName('karaoke.kar') && isMidiFileName('x.rmi') && isMidiFileName('x.RMI'));
  assert.ok(!isMidiFileName('a.mp3'));
  assert.ok(!isMidiFileName('notes.txt'));
  assert.ok(!isMidiFileName('mid'));
  assert.ok(!isMidiFileName('a.mid.bak'));
});
