/**
 * The piano roll: the selected piece's notes on a canvas through a zoomable, scrollable viewport,
 * with bar and beat lines, a ruler of bar numbers that shows the loop region, pitch labels, primer
 * notes marked, and a playhead on an overlay canvas (redrawn every frame without touching the
 * notes). Pointer, wheel and key handling live in roll-input.ts; the mapping in geometry.ts.
 */
import type { GeneratedPiece } from '../../main/shared/api.js';
import { barSeconds, pieceLength } from '../audio/schedule.js';
import { cssVar, fitCanvas } from '../ui/canvas.js';
import { h } from '../ui/dom.js';
import {
  gridLines,
  isBlackKey,
  makeLayout,
  noteRect,
  noteVisible,
  pitchName,
  pitchToY,
  rowHeight,
  timeToX,
  type LoopRegion,
  type RollLayout,
  type Viewport,
} from './geometry.js';
import { clampViewport, fitViewport, followTime } from './viewport.js';

export class PianoRoll {
  readonly element: HTMLElement;
  /** The canvas on top: it takes the pointer and the wheel (roll-input.ts). */
  readonly overlay: HTMLCanvasElement;
  private readonly notes: HTMLCanvasElement;
  private readonly empty: HTMLElement;
  private piece: GeneratedPiece | null = null;
  private layoutNow: RollLayout | null = null;
  private viewportNow: Viewport | null = null;
  private loopRegion: LoopRegion | null = null;
  private playhead = 0;
  /** The selected notes (indices) and a selection box being dragged (css px), drawn on top. */
  private selected = new Set<number>();
  private box: { x0: number; y0: number; x1: number; y1: number } | null = null;
  /** While playing, the window pages along with the playhead. */
  follow = false;

  constructor() {
    this.notes = h('canvas', { class: 'roll-notes' });
    this.overlay = h('canvas', {
      class: 'roll-overlay',
      'data-testid': 'pianoroll',
      'data-playhead': '0',
      tabindex: 0,
      'aria-label': 'Piano roll',
    });
    this.empty = h('div', { class: 'roll-empty', text: 'Generate a piece to see it here.' });
    this.element = h('div', { class: 'pianoroll' }, this.notes, this.overlay, this.empty);
    new ResizeObserver(() => this.redraw()).observe(this.element);
  }

  /** Shows a piece. The same piece again (edited, re-timed) keeps the zoom, scroll and playhead. */
  setPiece(piece: GeneratedPiece | null): void {
    const old = this.piece;
    const same = !!piece && piece.id === old?.id;
    this.piece = piece;
    if (!same) {
      this.playhead = 0;
      this.viewportNow = piece ? fitViewport(piece.notes, this.duration()) : null;
    } else if (this.viewportNow && old && piece) {
      // re-timed to another tempo: the window keeps its bars
      const k = old.bpm / piece.bpm;
      const vp = this.viewportNow;
      this.viewportNow = clampViewport({ ...vp, start: vp.start * k, span: vp.span * k }, this.duration());
      this.playhead *= k;
    }
    this.empty.hidden = !!piece;
    this.redraw();
  }

  /** The piece's length as the roll shows it (at least half a second). */
  duration(): number {
    return this.piece ? Math.max(pieceLength(this.piece), 0.5) : 0;
  }

  get current(): GeneratedPiece | null {
    return this.piece;
  }

  /** The layout of the last drawing (null without a piece): hit-testing maps through it. */
  layout(): RollLayout | null {
    return this.layoutNow;
  }

  viewport(): Viewport | null {
    return this.viewportNow;
  }

  setViewport(vp: Viewport): void {
    if (!this.piece) return;
    this.viewportNow = clampViewport(vp, this.duration());
    this.redraw();
  }

  /** The loop region drawn on the ruler (null: none, the loop is the whole piece). */
  setLoopRegion(region: LoopRegion | null): void {
    this.loopRegion = region;
    this.redraw();
  }

  setSelection(indices: readonly number[]): void {
    this.selected = new Set(indices);
    this.overlay.dataset.selected = indices.join(',');
    this.redraw();
  }

  setBox(box: { x0: number; y0: number; x1: number; y1: number } | null): void {
    this.box = box;
    this.drawOverlay();
  }

  getPlayhead(): number {
    return this.playhead;
  }

  setPlayhead(seconds: number): void {
    if (Math.abs(seconds - this.playhead) < 1e-4) return;
    this.playhead = seconds;
    this.overlay.dataset.playhead = seconds.toFixed(3);
    if (this.follow && this.viewportNow) {
      const next = followTime(this.viewportNow, seconds, this.duration());
      if (next !== this.viewportNow) {
        this.viewportNow = next;
        this.redraw();
        return;
      }
    }
    this.drawOverlay();
  }

  redraw(): void {
    const { ctx, width, height } = fitCanvas(this.notes);
    const piece = this.piece;
    if (!piece || !this.viewportNow) {
      this.layoutNow = null;
      this.drawOverlay();
      return;
    }
    const layout = makeLayout(piece.notes, this.duration(), width, height, 44, 18, this.viewportNow);
    this.layoutNow = layout;
    const vp = this.viewportNow;
    this.overlay.dataset.notes = JSON.stringify(piece.notes); // what the tests compare
    this.overlay.dataset.primerNotes = String(piece.primerNotes);
    Object.assign(this.overlay.dataset, {
      viewStart: vp.start.toFixed(3),
      viewEnd: (vp.start + vp.span).toFixed(3),
      low: String(vp.low),
      high: String(vp.high),
      duration: layout.duration.toFixed(3),
      barSeconds: barSeconds(piece).toFixed(4),
    });
    const rh = rowHeight(layout);
    // rows
    for (let p = layout.low; p <= layout.high; p++) {
      ctx.fillStyle = isBlackKey(p) ? cssVar('--row-black', '#171a21') : cssVar('--row-white', '#1d212a');
      ctx.fillRect(layout.keysWidth, pitchToY(layout, p), width - layout.keysWidth, rh);
    }
    // ruler and loop region
    ctx.fillStyle = cssVar('--panel', '#14171d');
    ctx.fillRect(layout.keysWidth, 0, width - layout.keysWidth, layout.rulerHeight);
    if (this.loopRegion) {
      const x0 = Math.max(layout.keysWidth, timeToX(layout, this.loopRegion.start));
      const x1 = Math.min(width, timeToX(layout, this.loopRegion.end));
      if (x1 > x0) {
        ctx.fillStyle = cssVar('--loop', 'rgba(255, 180, 84, 0.55)');
        ctx.fillRect(x0, 1, x1 - x0, layout.rulerHeight - 2);
        ctx.fillStyle = cssVar('--loop-shade', 'rgba(255, 180, 84, 0.07)');
        ctx.fillRect(x0, layout.rulerHeight, x1 - x0, height - layout.rulerHeight);
      }
    }
    // grid: only the lines in the window (and the labels of bars wide enough to read)
    const lines = gridLines(piece.bpm, piece.timeSignature, layout.duration, piece.meters);
    const barWidth = timeToX(layout, barSeconds(piece)) - timeToX(layout, 0);
    const labelEvery = Math.max(1, Math.ceil(24 / Math.max(1, barWidth)));
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const l of lines) {
      if (l.time < layout.start - 1e-6 || l.time > layout.end + 1e-6) continue;
      const x = Math.round(timeToX(layout, l.time)) + 0.5;
      ctx.strokeStyle = l.kind === 'bar' ? cssVar('--bar-line', '#3d4557') : cssVar('--beat-line', '#262b36');
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, layout.rulerHeight);
      ctx.lineTo(x, height);
      ctx.stroke();
      if (l.kind === 'bar' && l.time < layout.duration - 1e-6 && (l.bar - 1) % labelEvery === 0) {
        ctx.fillStyle = cssVar('--muted', '#8b93a7');
        ctx.textAlign = 'left';
        ctx.fillText(String(l.bar), x + 3, layout.rulerHeight / 2);
      }
    }
    // notes, clipped to the plot
    ctx.save();
    ctx.beginPath();
    ctx.rect(layout.keysWidth, layout.rulerHeight, width - layout.keysWidth, height - layout.rulerHeight);
    ctx.clip();
    const accent = cssVar('--accent', '#5eb1ff');
    const primer = cssVar('--primer', '#9aa3b5');
    let shown = 0;
    piece.notes.forEach((n, i) => {
      if (!noteVisible(layout, n)) return;
      shown++;
      const r = noteRect(layout, n);
      ctx.globalAlpha = 0.45 + 0.55 * Math.max(0, Math.min(1, n.velocity));
      ctx.fillStyle = i < piece.primerNotes ? primer : accent;
      ctx.fillRect(r.x + 0.5, r.y + 0.5, Math.max(1, r.w - 1), Math.max(1, r.h - 1));
      if (this.selected.has(i)) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = cssVar('--selected-note', '#ffffff');
        ctx.lineWidth = 1.5;
        ctx.strokeRect(r.x + 1, r.y + 1, Math.max(1, r.w - 2), Math.max(1, r.h - 2));
      }
    });
    ctx.restore();
    this.overlay.dataset.visibleNotes = String(shown);
    ctx.globalAlpha = 1;
    // keyboard labels
    ctx.fillStyle = cssVar('--panel', '#14171d');
    ctx.fillRect(0, 0, layout.keysWidth, height);
    ctx.textAlign = 'right';
    const every = rh >= 10 ? 1 : 12;
    for (let p = layout.low; p <= layout.high; p++) {
      const y = pitchToY(layout, p);
      ctx.fillStyle = isBlackKey(p) ? '#0c0e12' : '#c9ced8';
      ctx.fillRect(layout.keysWidth - 10, y + 0.5, 8, Math.max(1, rh - 1));
      if ((every === 1 && !isBlackKey(p)) || p % 12 === 0) {
        ctx.fillStyle = p % 12 === 0 ? cssVar('--text', '#e6e9ef') : cssVar('--muted', '#8b93a7');
        if (rh >= 7 || p % 12 === 0) ctx.fillText(pitchName(p), layout.keysWidth - 13, y + rh / 2);
      }
    }
    this.drawOverlay();
  }

  private drawOverlay(): void {
    const { ctx, height } = fitCanvas(this.overlay);
    const layout = this.layoutNow;
    if (!layout) return;
    if (this.box) {
      const b = this.box;
      ctx.fillStyle = 'rgba(94, 177, 255, 0.15)';
      ctx.strokeStyle = cssVar('--accent', '#5eb1ff');
      ctx.lineWidth = 1;
      const [x, y] = [Math.min(b.x0, b.x1), Math.min(b.y0, b.y1)];
      ctx.fillRect(x, y, Math.abs(b.x1 - b.x0), Math.abs(b.y1 - b.y0));
      ctx.strokeRect(x + 0.5, y + 0.5, Math.abs(b.x1 - b.x0), Math.abs(b.y1 - b.y0));
    }
    if (this.playhead < layout.start - 1e-6 || this.playhead > layout.end + 1e-6) return;
    const x = Math.round(timeToX(layout, this.playhead)) + 0.5;
    ctx.strokeStyle = cssVar('--playhead', '#ff6b6b');
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.fillStyle = cssVar('--playhead', '#ff6b6b');
    ctx.beginPath();
    ctx.moveTo(x - 5, 0);
    ctx.lineTo(x + 5, 0);
    ctx.lineTo(x, 7);
    ctx.fill();
  }
}
