/**
 * Pointer, wheel and keyboard input of the piano roll's view: a press on a note edits it
 * (note-drag.ts), a click or drag in empty space seeks,
 * drag on the ruler to set a loop region (snapped to beats; a double-click clears it), the wheel
 * to scroll (Shift: in time), Ctrl/⌘+wheel to zoom in time (with Shift: the pitches), and the zoom
 * and scroll commands of the shortcut table.
 */
import { beatSeconds } from '../audio/schedule.js';
import { registerCommand } from '../commands.js';
import { store } from '../state.js';
import { onRuler, plotWidth, rowHeight, xToTime, yToPitch, type RollLayout } from './geometry.js';
import type { PianoRoll } from './view.js';
import { hitNote } from './hit-test.js';
import { NoteDrag } from './note-drag.js';
import { fitViewport, scrollPitch, scrollTime, zoomPitch, zoomTime } from './viewport.js';

/** A wheel notch (100 px of deltaY) zooms by this factor. */
const WHEEL_ZOOM_PER_100PX = 1.25;
/** One key press zooms by this factor, or scrolls by this fraction of the window. */
const KEY_ZOOM = 1.5;
const KEY_SCROLL = 0.25;
/** A ruler press that moves less than this (px) is a click: it seeks instead of setting a loop. */
const DRAG_PX = 4;

/** Beats are the loop region's snap. */
function snap(roll: PianoRoll, t: number): number {
  const piece = roll.current;
  if (!piece) return t;
  const beat = beatSeconds(piece);
  return Math.max(0, Math.min(roll.duration(), Math.round(t / beat) * beat));
}

function wheelPixels(e: WheelEvent, layout: RollLayout): { dx: number; dy: number } {
  const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? plotWidth(layout) : 1;
  return { dx: e.deltaX * unit, dy: e.deltaY * unit };
}

const pointerKeys = (e: PointerEvent) => ({
  shiftKey: e.shiftKey,
  altKey: e.altKey,
  ctrlKey: e.ctrlKey,
  metaKey: e.metaKey,
});

export function installRollInput(roll: PianoRoll, seek: (seconds: number) => void): void {
  const el = roll.overlay;
  const local = (e: { clientX: number; clientY: number }) => {
    const r = el.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const notes = new NoteDrag(roll);
  store.on(['noteSelection', 'selectedPieceId', 'pieces'], () => roll.setSelection(store.selectedNotes()));
  let drag:
    { kind: 'seek' } | { kind: 'note' } | { kind: 'loop'; x: number; from: number; moved: boolean } | null =
    null;
  el.addEventListener('pointerdown', (e) => {
    const layout = roll.layout();
    if (!layout || e.button !== 0) return;
    el.setPointerCapture(e.pointerId);
    el.focus({ preventScroll: true });
    const { x, y } = local(e);
    if (onRuler(layout, y)) {
      drag = { kind: 'loop', x, from: snap(roll, xToTime(layout, x)), moved: false };
    } else if (notes.down(layout, { ...pointerKeys(e), x, y })) {
      drag = { kind: 'note' };
    } else {
      drag = { kind: 'seek' };
      seek(xToTime(layout, x));
    }
  });
  el.addEventListener('pointermove', (e) => {
    const layout = roll.layout();
    if (!layout) return;
    const { x, y } = local(e);
    if (!drag) {
      // the ruler takes a drag (a loop region), a note's right edge a resize: say so
      const hit = roll.current && !onRuler(layout, y) ? hitNote(layout, roll.current.notes, x, y) : null;
      el.style.cursor = onRuler(layout, y) || hit?.part === 'end' ? 'ew-resize' : hit ? 'move' : '';
      return;
    }
    if (drag.kind === 'note') {
      notes.move(layout, { ...pointerKeys(e), x, y });
      return;
    }
    if (drag.kind === 'seek') {
      seek(xToTime(layout, x));
      return;
    }
    if (!drag.moved && Math.abs(x - drag.x) < DRAG_PX) return;
    drag.moved = true;
    const to = snap(roll, xToTime(layout, x));
    roll.setLoopRegion(
      to === drag.from ? null : { start: Math.min(drag.from, to), end: Math.max(drag.from, to) },
    );
  });
  const end = (e: PointerEvent) => {
    const layout = roll.layout();
    const d = drag;
    drag = null;
    if (d?.kind === 'note') notes.up();
    if (!layout || !d || d.kind !== 'loop') return;
    if (!d.moved) {
      seek(xToTime(layout, local(e).x));
      return;
    }
    const to = snap(roll, xToTime(layout, local(e).x));
    const region = to === d.from ? null : { start: Math.min(d.from, to), end: Math.max(d.from, to) };
    store.set(region ? { loopRegion: region, loop: true } : { loopRegion: null });
  };
  el.addEventListener('pointerup', end);
  el.addEventListener('pointercancel', () => {
    drag = null;
    notes.cancel();
    roll.setLoopRegion(store.get('loopRegion'));
  });
  el.addEventListener('dblclick', (e) => {
    const layout = roll.layout();
    if (!layout) return;
    const { x, y } = local(e);
    if (onRuler(layout, y)) store.set({ loopRegion: null });
    else if (x >= layout.keysWidth) notes.draw(layout, x, y);
  });

  // Ctrl+wheel would zoom the page: the listener is not passive so that it can keep the wheel.
  let rowRest = 0;
  el.addEventListener(
    'wheel',
    (e) => {
      const layout = roll.layout();
      const vp = roll.viewport();
      if (!layout || !vp) return;
      e.preventDefault();
      const { dx, dy } = wheelPixels(e, layout);
      const { x, y } = local(e);
      const duration = roll.duration();
      if (e.ctrlKey || e.metaKey) {
        const factor = WHEEL_ZOOM_PER_100PX ** (-(dy || dx) / 100);
        roll.setViewport(
          e.shiftKey
            ? zoomPitch(vp, factor, yToPitch(layout, y))
            : zoomTime(vp, factor, xToTime(layout, x), duration),
        );
        return;
      }
      const horizontal = e.shiftKey ? dy || dx : dx;
      const vertical = e.shiftKey ? 0 : dy;
      let next = vp;
      if (horizontal) next = scrollTime(next, (horizontal / plotWidth(layout)) * vp.span, duration);
      if (vertical) {
        rowRest += -vertical / rowHeight(layout);
        const rows = Math.trunc(rowRest);
        rowRest -= rows;
        if (rows) next = scrollPitch(next, rows);
      }
      if (next !== vp) roll.setViewport(next);
    },
    { passive: false },
  );

  // keyboard (the shortcut table): zoom around the playhead when it is in view, else the middle
  const available = () => store.get('view') === 'generate' && !!roll.current;
  const withView =
    (f: (vp: NonNullable<ReturnType<PianoRoll['viewport']>>, anchor: number) => void) => () => {
      const vp = roll.viewport();
      if (!vp) return;
      const p = roll.getPlayhead();
      f(vp, p >= vp.start && p <= vp.start + vp.span ? p : vp.start + vp.span / 2);
    };
  const middlePitch = (vp: { low: number; high: number }) => (vp.low + vp.high) / 2;
  const commands = {
    'zoom-in': withView((vp, a) => roll.setViewport(zoomTime(vp, KEY_ZOOM, a, roll.duration()))),
    'zoom-out': withView((vp, a) => roll.setViewport(zoomTime(vp, 1 / KEY_ZOOM, a, roll.duration()))),
    'zoom-in-pitch': withView((vp) => roll.setViewport(zoomPitch(vp, KEY_ZOOM, middlePitch(vp)))),
    'zoom-out-pitch': withView((vp) => roll.setViewport(zoomPitch(vp, 1 / KEY_ZOOM, middlePitch(vp)))),
    'zoom-fit': () => roll.current && roll.setViewport(fitViewport(roll.current.notes, roll.duration())),
    'scroll-left': withView((vp) => roll.setViewport(scrollTime(vp, -vp.span * KEY_SCROLL, roll.duration()))),
    'scroll-right': withView((vp) => roll.setViewport(scrollTime(vp, vp.span * KEY_SCROLL, roll.duration()))),
    'scroll-up': withView((vp) => roll.setViewport(scrollPitch(vp, Math.max(1, (vp.high - vp.low + 1) / 4)))),
    'scroll-down': withView((vp) =>
      roll.setViewport(scrollPitch(vp, -Math.max(1, (vp.high - vp.low + 1) / 4))),
    ),
  } as const;
  for (const [name, run] of Object.entries(commands))
    registerCommand(name as keyof typeof commands, () => void run(), available);
}
