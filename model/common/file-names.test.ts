import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportFileName, isMidiFileName } from './file-names.js';

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

test('exportFileName: invisible characters are removed and the extension is not doubled', () => {
  assert.equal(exportFileName('x\u202ey.mid', '.mid'), 'xy.mid'); // right-to-left override
  assert.equal(exportFileName('evil\u202egpj.exe', '.mid'), 'evilgpj.exe.mid');
  assert.equal(exportFileName('a\u200bb\ufeffc\u0000d', '.mid'), 'abcd.mid'); // zero-width, BOM, NUL
  assert.equal(exportFileName('Tune.MID', '.mid'), 'Tune.mid');
  assert.equal(exportFileName('Tune', '.mid'), 'Tune.mid');
  assert.equal(exportFileName('Tune.mid', ''), 'Tune.mid');
  assert.equal(exportFileName('a/b\\c:d*e?f"g<h>i|j', '.mid'), 'a_b_c_d_e_f_g_h_i_j.mid');
  assert.equal(exportFileName('Café  Olé', '.mid'), 'Café Olé.mid');
  assert.equal(exportFileName('Cafe\u0301', '.mid'), 'Café.mid'); // NFC
  assert.equal(exportFileName('', '.mid'), 'untitled.mid');
  assert.equal(exportFileName('\u202e', '.wav', 'ostinato'), 'ostinato.wav');
  assert.equal(exportFileName('...hidden', '.mid'), 'hidden.mid');
  assert.equal(exportFileName('ends with dots. . .', '.mid'), 'ends with dots.mid');
  assert.equal(exportFileName('x'.repeat(300), '.mid'), `${'x'.repeat(100)}.mid`);
});

test('exportFileName: Windows device names get a leading underscore, with or without an extension', () => {
  for (const n of ['con', 'CON', 'prn', 'aux', 'Nul', 'com1', 'COM9', 'lpt1', 'lpt9', 'com0', 'lpt\u00b9'])
    assert.equal(exportFileName(n, '.mid'), `_${n}.mid`, n);
  assert.equal(exportFileName('con.mid', '.mid'), '_con.mid');
  assert.equal(exportFileName('con.tar', '.mid'), '_con.tar.mid');
  assert.equal(exportFileName('aux ', '.mid'), '_aux.mid');
  assert.equal(exportFileName('CON', ''), '_CON');
  for (const n of ['console', 'com10', 'lpt', 'nul1', 'my con', 'icon'])
    assert.equal(exportFileName(n, '.mid'), `${n}.mid`, n);
  // The fallback is checked too.
  assert.equal(exportFileName('', '.mid', 'nul'), '_nul.mid');
});
