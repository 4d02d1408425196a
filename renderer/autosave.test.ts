import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import type { GeneratedPiece, Session } from '../main/shared/api.js';
import { autosave, AUTOSAVE_DELAY_MS, sessionOf } from './autosave.js';
import { Store, type AppState } from './state.js';

const piece = (id: string): GeneratedPiece => ({
  id,
  name: id,
  seed: 1,
  bpm: 120,
  timeSignature: [4, 4],
  bars: 1,
  durationSeconds: 2,
  notes: [{ pitch: 60, time: 0, duration: 0.5, velocity: 0.8 }],
  primerNotes: 0,
});

/** A store with the keys these tests use (the others are never read). */
const fresh = () => new Store({ pieces: [], selectedPieceId: null, tempo: 120 } as unknown as AppState);

test('autosave: one save 300 ms after the last change of the pieces or the selection', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const store = fresh();
    const saved: Session[] = [];
    const stop = autosave(store, (s) => saved.push(s));
    store.set({ pieces: [piece('a'), piece('b')], selectedPieceId: 'a' });
    mock.timers.tick(AUTOSAVE_DELAY_MS - 1);
    store.set({ selectedPieceId: 'b' }); // restarts the wait
    mock.timers.tick(AUTOSAVE_DELAY_MS - 1);
    assert.equal(saved.length, 0);
    mock.timers.tick(1);
    assert.deepEqual(saved, [{ pieces: [piece('a'), piece('b')], selectedPieceId: 'b' }]);
    store.set({ tempo: 90 }); // not part of the session
    mock.timers.tick(AUTOSAVE_DELAY_MS * 2);
    assert.equal(saved.length, 1);
    store.set({ pieces: [piece('c')] }); // an edit replacing the pieces (the selection is gone)
    mock.timers.tick(AUTOSAVE_DELAY_MS);
    assert.deepEqual(saved[1], { pieces: [piece('c')], selectedPieceId: null });
    store.set({ pieces: [] });
    stop();
    mock.timers.tick(AUTOSAVE_DELAY_MS);
    assert.equal(saved.length, 2, 'stopped: the pending save is dropped');
  } finally {
    mock.timers.reset();
  }
});

test('sessionOf: a selection naming no piece is saved as none', () => {
  const store = fresh();
  store.set({ pieces: [piece('a')], selectedPieceId: 'a' });
  assert.deepEqual(sessionOf(store), { pieces: [piece('a')], selectedPieceId: 'a' });
  store.set({ selectedPieceId: 'zz' });
  assert.equal(sessionOf(store).selectedPieceId, null);
});
