import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History } from './history.js';

test('undo walks back through the recorded states, redo forward again', () => {
  const h = new History<string>();
  let state = 'a';
  const edit = (next: string) => {
    h.record(state);
    state = next;
  };
  edit('b');
  edit('c');
  assert.equal(h.canUndo, true);
  assert.equal(h.canRedo, false);
  state = h.undo(state)!;
  assert.equal(state, 'b');
  state = h.undo(state)!;
  assert.equal(state, 'a');
  assert.equal(h.undo(state), null, 'nothing more to undo');
  state = h.redo(state)!;
  assert.equal(state, 'b');
  state = h.redo(state)!;
  assert.equal(state, 'c');
  assert.equal(h.redo(state), null);
});

test('a new edit after an undo drops the redo steps', () => {
  const h = new History<number>();
  h.record(1); // 1 -> 2
  assert.equal(h.undo(2), 1);
  assert.equal(h.canRedo, true);
  h.record(1); // 1 -> 3
  assert.equal(h.canRedo, false);
  assert.equal(h.undo(3), 1);
  assert.equal(h.redo(1), 3);
});

test('the oldest steps fall off past the limit; clear forgets everything', () => {
  const h = new History<number>(2);
  h.record(1);
  h.record(2);
  h.record(3);
  assert.equal(h.undo(4), 3);
  assert.equal(h.undo(3), 2);
  assert.equal(h.undo(2), null);
  h.clear();
  assert.equal(h.canUndo, false);
  assert.equal(h.canRedo, false);
});
