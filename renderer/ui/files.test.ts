import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromDataTransfer, fromFileList, readAll } from './files.js';

const file = (name: string, bytes = [1, 2, 3]) => new File([new Uint8Array(bytes)], name);

function fileEntry(name: string) {
  return { isFile: true, isDirectory: false, name, file: (ok: (f: File) => void) => ok(file(name)) };
}

/** A folder whose reader hands out its children two at a time (readEntries pages). */
function dirEntry(name: string, children: unknown[]) {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader() {
      let at = 0;
      return {
        readEntries(ok: (e: unknown[]) => void) {
          const page = children.slice(at, at + 2);
          at += page.length;
          ok(page);
        },
      };
    },
  };
}

test('dropped folders are walked (every page of entries), non-MIDI files inside are skipped', async () => {
  const folder = dirEntry('tunes', [
    fileEntry('a.mid'),
    fileEntry('readme.txt'),
    fileEntry('b.MIDI'),
    dirEntry('more', [fileEntry('c.kar'), fileEntry('cover.jpg')]),
    fileEntry('d.mid'),
  ]);
  const dt = {
    items: [
      { kind: 'file', webkitGetAsEntry: () => folder, getAsFile: () => null },
      { kind: 'file', webkitGetAsEntry: () => fileEntry('loose.txt'), getAsFile: () => null },
      { kind: 'string', webkitGetAsEntry: () => null, getAsFile: () => null },
    ],
    files: [],
  } as unknown as DataTransfer;
  const c = await fromDataTransfer(dt);
  assert.deepEqual(c.names, ['tunes/a.mid', 'tunes/b.MIDI', 'tunes/more/c.kar', 'tunes/d.mid', 'loose.txt']);
  assert.deepEqual(
    c.skipped.map((s) => s.name),
    ['tunes/readme.txt', 'tunes/more/cover.jpg'],
  );
});

test('synthetic drops without entries fall back to the files themselves', async () => {
  const f = file('x.mid');
  const dt = { items: [{ kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => f }], files: [] };
  const c = await fromDataTransfer(dt as unknown as DataTransfer);
  assert.deepEqual(c.names, ['x.mid']);
});

test('file lists: a folder choice keeps relative paths and skips non-MIDI; a file choice keeps all', async () => {
  const a = Object.assign(file('a.mid'), { webkitRelativePath: 'set/a.mid' });
  const t = Object.assign(file('t.txt'), { webkitRelativePath: 'set/t.txt' });
  const folder = fromFileList([a, t], true);
  assert.deepEqual(folder.names, ['set/a.mid']);
  assert.equal(folder.skipped[0]!.name, 'set/t.txt');
  const picked = fromFileList([file('bad.mid'), file('notes.txt')], false);
  assert.deepEqual(picked.names, ['bad.mid', 'notes.txt']); // the host explains what is wrong
  const progress: number[] = [];
  const read = await readAll(picked, (done) => progress.push(done));
  assert.deepEqual(progress, [1, 2]);
  assert.deepEqual([...read.files[0]!.data], [1, 2, 3]);
});
