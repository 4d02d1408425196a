/** Live loss curves on a canvas: train loss per batch (thin), per epoch (thick) and validation. */
import type { LossPoint } from '../state.js';
import { cssVar, fitCanvas } from './canvas.js';
import { downsample, niceTicks, yExtent } from './chart-math.js';
import { h } from './dom.js';

export interface LossSeries {
  batch: LossPoint[];
  train: LossPoint[];
  val: LossPoint[];
  totalEpochs: number;
}

export class LossChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private data: LossSeries = { batch: [], train: [], val: [], totalEpochs: 1 };
  private frame = 0;

  constructor() {
    this.canvas = h('canvas', { class: 'loss-canvas', 'aria-label': 'Loss curves' });
    const legend = h(
      'div',
      { class: 'legend' },
      h('span', { class: 'key key-batch' }, 'train loss per batch'),
      h('span', { class: 'key key-train' }, 'train loss per epoch'),
      h('span', { class: 'key key-val' }, 'validation loss per epoch'),
    );
    this.element = h('div', { class: 'loss-chart' }, this.canvas, legend);
    new ResizeObserver(() => this.schedule()).observe(this.canvas);
  }

  set(data: LossSeries): void {
    this.data = data;
    this.canvas.dataset.points = String(data.batch.length);
    this.canvas.dataset.epochs = String(data.train.length);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const { ctx, width, height } = fitCanvas(this.canvas);
    const pad = { l: 44, r: 12, t: 10, b: 24 };
    const pw = width - pad.l - pad.r;
    const ph = height - pad.t - pad.b;
    const { batch, train, val } = this.data;
    // The x axis grows with the run (a 200-epoch run that is at epoch 3 shows ~4 epochs).
    const lastX = Math.max(0, ...batch.map((p) => p.x), ...train.map((p) => p.x), ...val.map((p) => p.x));
    const maxX = Math.max(1, Math.min(this.data.totalEpochs, Math.ceil(lastX * 1.15 + 0.01)));
    const [lo, hi] = yExtent([batch, train, val]);
    const x = (v: number) => pad.l + (v / maxX) * pw;
    const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo || 1)) * ph;
    const grid = cssVar('--grid', '#2a2f3a');
    const text = cssVar('--muted', '#8b93a7');
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = grid;
    ctx.fillStyle = text;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(lo, hi, 6)) {
      ctx.beginPath();
      ctx.moveTo(pad.l, Math.round(y(t)) + 0.5);
      ctx.lineTo(width - pad.r, Math.round(y(t)) + 0.5);
      ctx.stroke();
      ctx.fillText(t.toFixed(2), pad.l - 6, y(t));
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of niceTicks(0, maxX, Math.min(8, Math.ceil(maxX)))) {
      if (!Number.isInteger(t) || t === 0) continue;
      ctx.fillText(String(t), x(t), height - pad.b + 6);
    }
    ctx.textAlign = 'right';
    ctx.fillText('epochs →', width - pad.r, pad.t + 2);
    if (!batch.length && !train.length) {
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText('Loss curves appear here while a model trains', pad.l + pw / 2, pad.t + ph / 2);
      return;
    }
    const line = (pts: LossPoint[], color: string, widthPx: number, dots: boolean) => {
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = widthPx;
      ctx.beginPath();
      pts.forEach((p, i) => (i ? ctx.lineTo(x(p.x), y(p.y)) : ctx.moveTo(x(p.x), y(p.y))));
      ctx.stroke();
      if (dots)
        for (const p of pts) {
          ctx.beginPath();
          ctx.arc(x(p.x), y(p.y), 3, 0, Math.PI * 2);
          ctx.fill();
        }
    };
    line(downsample(batch, Math.max(50, Math.floor(pw))), cssVar('--batch', '#4b5a78'), 1, false);
    line(train, cssVar('--accent', '#5eb1ff'), 2, true);
    line(val, cssVar('--warm', '#ffb454'), 2, true);
  }
}
