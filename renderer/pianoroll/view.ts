/**
 * The piano roll: notes of the selected piece on a canvas with bar and beat lines, pitch labels,
 * primer notes marked, and a playhead on an overlay canvas (redrawn every frame without touching
 * the notes). Click or drag on it to seek.
 */
import type { GeneratedPiece } from '../../main/shared/api.js';
import { pieceLength } from '../audio/schedule.js';
import { cssVar, fitCanvas } from '../ui/canvas.js';
import { h } from '../ui/dom.js';
import {
  gridLines,
  isBlackKey,
  makeLayout,
  noteRect,
  pitchName,
  pitchToY,
  rowHeight,
  timeToX,
  xToTime,
  type RollLayout,
} from './geometry.js';

export class PianoRoll {
  readonly element: HTMLElement;
  private readonly notes: HTMLCanvasElement;
  private readonly overlay: HTMLCanvasElement;
  private readonly empty: HTMLElement;
  private piece: GeneratedPiece | null = null;
  private layout: RollLayout | null = null;
  private playhead = 0;

  constructor(onSeek: (seconds: number) => void) {
    this.notes = h('canvas', { class: 'roll-notes' });
    this.overlay = h('canvas', { class: 'roll-overlay', 'data-testid': 'pianoroll', 'data-playhead': '0' });
    this.empty = h('div', { class: 'roll-empty', text: 'Generate a piece to see it here.' });
    this.element = h('div', { class: 'pianoroll' }, this.notes, this.overlay, this.empty);
    let dragging = false;
    const seekAt = (ev: PointerEvent) => {
      if (!this.layout) return;
      const rect = this.overlay.getBoundingClientRect();
      onSeek(xToTime(this.layout, ev.clientX - rect.left));
    };
    this.overlay.addEventListener('pointerdown', (ev) => {
      dragging = true;
      this.overlay.setPointerCapture(ev.pointerId);
      seekAt(ev);
    });
    this.overlay.addEventListener('pointermove', (ev) => dragging && seekAt(ev));
    this.overlay.addEventListener('pointerup', () => (dragging = false));
    new ResizeObserver(() => this.redraw()).observe(this.element);
  }

  setPiece(piece: GeneratedPiece | null): void {
    this.piece = piece;
    this.playhead = 0;
    this.empty.hidden = !!piece;
    this.redraw();
  }

  setPlayhead(seconds: number): void {
    if (Math.abs(seconds - this.playhead) < 1e-4) return;
    this.playhead = seconds;
    this.overlay.dataset.playhead = seconds.toFixed(3);
    this.drawOverlay();
  }

  redraw(): void {
    const { ctx, width, height } = fitCanvas(this.notes);
    const piece = this.piece;
    if (!piece) {
      this.layout = null;
      this.drawOverlay();
      return;
    }
    const layout = makeLayout(piece.notes, Math.max(pieceLength(piece), 0.5), width, height);
    this.layout = layout;
    const rh = rowHeight(layout);
    // rows
    for (let p = layout.low; p <= layout.high; p++) {
      ctx.fillStyle = isBlackKey(p) ? cssVar('--row-black', '#171a21') : cssVar('--row-white', '#1d212a');
      ctx.fillRect(layout.keysWidth, pitchToY(layout, p), width - layout.keysWidth, rh);
    }
    // grid
    const lines = gridLines(piece.bpm, piece.timeSignature, layout.duration, piece.meters);
    ctx.font = '10px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const l of lines) {
      const x = Math.round(timeToX(layout, l.time)) + 0.5;
      ctx.strokeStyle = l.kind === 'bar' ? cssVar('--bar-line', '#3d4557') : cssVar('--beat-line', '#262b36');
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, layout.rulerHeight);
      ctx.lineTo(x, height);
      ctx.stroke();
      if (l.kind === 'bar' && l.time < layout.duration - 1e-6) {
        ctx.fillStyle = cssVar('--muted', '#8b93a7');
        ctx.textAlign = 'left';
        ctx.fillText(String(l.bar), x + 3, layout.rulerHeight / 2);
      }
    }
    // notes
    const accent = cssVar('--accent', '#5eb1ff');
    const primer = cssVar('--primer', '#9aa3b5');
    piece.notes.forEach((n, i) => {
      const r = noteRect(layout, n);
      ctx.globalAlpha = 0.45 + 0.55 * Math.max(0, Math.min(1, n.velocity));
      ctx.fillStyle = i < piece.primerNotes ? primer : accent;
      ctx.fillRect(r.x + 0.5, r.y + 0.5, Math.max(1, r.w - 1), Math.max(1, r.h - 1));
    });
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
    if (!this.layout) return;
    const x = Math.round(timeToX(this.layout, this.playhead)) + 0.5;
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
