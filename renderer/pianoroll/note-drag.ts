/**
 * Note editing with the pointer on the roll (roll-input.ts hands it the presses in the note area):
 * a click selects a note (Shift: adds or removes it), a drag moves the selection (time on the
 * grid, pitch by rows), a drag at a note's right edge resizes, Alt+drag changes velocity, a drag
 * in empty space with Shift or Ctrl/⌘ draws a selection box, a double-click in empty space draws
 * a note (one grid step, or the length of the last drawn or resized note). While dragging only the
 * roll shows the change; releasing commits it as one undo step.
 */
import type { GeneratedPiece } from '../../main/shared/api.js';
import { editState, replacePiece, selectNotes, type EditState } from '../edit/editing.js';
import {
  addNote,
  DEFAULT_VELOCITY,
  gridStep,
  moveNotes,
  notesInBox,
  resizeNotes,
  setVelocity,
  snap,
  snapDown,
  snappedOffset,
  toggleSelected,
  withNotes,
} from '../edit/note-ops.js';
import { store } from '../state.js';
import { xToTime, yToPitch, type RollLayout } from './geometry.js';
import { boxRange, hitNote } from './hit-test.js';
import type { PianoRoll } from './view.js';

/** A press that moves less than this (px) is a click. */
const DRAG_PX = 3;
/** Alt+drag: this many px up raise the velocity from 0 to 1. */
const VELOCITY_PX = 150;

interface Pointer {
  x: number;
  y: number;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

type Drag =
  | { kind: 'move' | 'resize' | 'velocity'; x: number; y: number; anchor: number; moved: boolean }
  | { kind: 'box'; x: number; y: number; base: readonly number[]; add: boolean };

export class NoteDrag {
  private drag: Drag | null = null;
  private before: EditState | null = null;
  private preview: GeneratedPiece | null = null;
  /** The length of the last drawn or resized note (seconds at the piece's tempo). */
  private lastLength: number | null = null;

  constructor(private readonly roll: PianoRoll) {}

  /** A press in the note area: true when it edits (else the roll seeks). */
  down(layout: RollLayout, p: Pointer): boolean {
    const piece = this.roll.current;
    if (!piece) return false;
    const hit = hitNote(layout, piece.notes, p.x, p.y);
    const sel = store.selectedNotes();
    if (!hit) {
      if (p.shiftKey || p.ctrlKey || p.metaKey) {
        this.drag = { kind: 'box', x: p.x, y: p.y, base: sel, add: true };
        return true;
      }
      if (sel.length) selectNotes([]);
      return false;
    }
    let next = sel;
    if (p.shiftKey) next = toggleSelected(sel, hit.index);
    else if (!sel.includes(hit.index)) next = [hit.index];
    if (next !== sel) selectNotes(next);
    if (p.shiftKey && !next.includes(hit.index)) return true; // removed from the selection: no drag
    const kind = p.altKey ? 'velocity' : hit.part === 'end' ? 'resize' : 'move';
    this.drag = { kind, x: p.x, y: p.y, anchor: hit.index, moved: false };
    this.before = editState();
    return true;
  }

  move(layout: RollLayout, p: Pointer): void {
    const d = this.drag;
    const piece = this.before?.pieces.find((q) => q.id === this.roll.current?.id) ?? this.roll.current;
    if (!d || !piece) return;
    if (d.kind === 'box') {
      this.roll.setBox({ x0: d.x, y0: d.y, x1: p.x, y1: p.y });
      const inBox = notesInBox(piece.notes, boxRange(layout, d, p));
      selectNotes([...new Set([...d.base, ...inBox])].sort((a, b) => a - b));
      return;
    }
    if (!d.moved && Math.hypot(p.x - d.x, p.y - d.y) < DRAG_PX) return;
    d.moved = true;
    const sel = store.selectedNotes();
    const step = gridStep(piece);
    const anchor = piece.notes[d.anchor]!;
    const dt = xToTime(layout, p.x) - xToTime(layout, d.x);
    let notes;
    if (d.kind === 'move') {
      const dp = yToPitch(layout, p.y) - yToPitch(layout, d.y);
      notes = moveNotes(piece.notes, sel, snappedOffset(anchor.time, dt, step), dp);
    } else if (d.kind === 'resize') {
      const end = anchor.time + anchor.duration;
      const newEnd = Math.max(anchor.time + step, snap(end + dt, step));
      notes = resizeNotes(piece.notes, sel, newEnd - end, step);
      this.lastLength = newEnd - anchor.time;
    } else {
      // every selected note takes the grabbed one's new velocity
      notes = setVelocity(piece.notes, sel, anchor.velocity + (d.y - p.y) / VELOCITY_PX);
    }
    this.preview = withNotes(piece, notes);
    this.roll.setPiece(this.preview);
  }

  /** The release: commits the drag's edit (one undo step). */
  up(): void {
    const d = this.drag;
    const preview = this.preview;
    const before = this.before;
    this.drag = null;
    this.preview = null;
    this.before = null;
    if (d?.kind === 'box') this.roll.setBox(null);
    if (d && d.kind !== 'box' && d.moved && preview && before)
      replacePiece(preview, store.selectedNotes(), before);
  }

  /** The drag was interrupted: the roll goes back to the store's piece. */
  cancel(): void {
    const had = this.drag;
    this.drag = null;
    this.preview = null;
    this.before = null;
    if (had) {
      this.roll.setBox(null);
      this.roll.setPiece(store.selectedPiece());
    }
  }

  get active(): boolean {
    return this.drag !== null;
  }

  /** A double-click in empty space of the note area draws a note there (one undo step). */
  draw(layout: RollLayout, x: number, y: number): boolean {
    const piece = store.selectedPiece();
    if (!piece || hitNote(layout, piece.notes, x, y)) return false;
    const step = gridStep(piece);
    const sel = store.selectedNotes();
    const velocity = sel.length ? piece.notes[sel.at(-1)!]!.velocity : DEFAULT_VELOCITY;
    const { notes, index } = addNote(piece.notes, {
      pitch: yToPitch(layout, y),
      time: snapDown(xToTime(layout, x), step),
      duration: this.lastLength ?? step,
      velocity,
    });
    replacePiece(withNotes(piece, notes), [index]);
    return true;
  }
}
