/** The status area: toasts for results and readable errors, plus busy tasks with progress. */
import { h } from './dom.js';

let area: HTMLElement | null = null;

function root(): HTMLElement {
  if (!area) {
    area = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(area);
  }
  return area;
}

/** At most this many result toasts show at once; the oldest goes first. */
const MAX_TOASTS = 4;

/**
 * Shows a result or an error. The same message of the same kind while one is still showing does
 * not stack: the shown one counts it ("×3") and stays for the full time again.
 */
export function toast(message: string, kind: 'info' | 'success' | 'error' = 'info', ms?: number): void {
  const life = ms ?? (kind === 'error' ? 12000 : 4500);
  const same = Array.from(root().querySelectorAll<HTMLElement>('.toast[data-kind]')).find(
    (el) => el.dataset.kind === kind && el.dataset.message === message,
  );
  if (same) {
    const n = Number(same.dataset.count ?? '1') + 1;
    same.dataset.count = String(n);
    same.querySelector('.toast-count')!.textContent = `×${n}`;
    clearTimeout(Number(same.dataset.timer));
    same.dataset.timer = String(setTimeout(() => same.remove(), life));
    root().append(same); // the newest at the bottom
    return;
  }
  const close = h('button', { class: 'toast-close', title: 'Dismiss', 'aria-label': 'Dismiss', text: '×' });
  const el = h(
    'div',
    { class: `toast toast-${kind}`, 'data-kind': kind, 'data-count': '1' },
    h('span', { class: 'toast-text', text: message }),
    h('span', { class: 'toast-count', 'aria-label': 'times' }),
    close,
  );
  el.dataset.message = message;
  const remove = () => el.remove();
  close.addEventListener('click', remove);
  root().append(el);
  el.dataset.timer = String(setTimeout(remove, life));
  const shown = Array.from(root().querySelectorAll<HTMLElement>('.toast:not(.toast-task)'));
  for (const old of shown.slice(0, Math.max(0, shown.length - MAX_TOASTS))) old.remove();
}

export function toastError(prefix: string, err: unknown): void {
  const msg = err instanceof Error ? err.message : String(err);
  toast(`${prefix}: ${msg}`, 'error');
}

export interface Task {
  update(fraction: number | null, text?: string): void;
  done(): void;
}

/** A busy indicator in the status area (fraction null = indeterminate). */
export function task(label: string): Task {
  const bar = h('div', { class: 'bar' });
  const text = h('span', { class: 'task-text', text: label });
  const el = h(
    'div',
    { class: 'toast toast-task', 'data-kind': 'task' },
    text,
    h('div', { class: 'progress indeterminate' }, bar),
  );
  root().append(el);
  return {
    update(fraction, t) {
      if (t) text.textContent = t;
      const p = el.querySelector('.progress')!;
      if (fraction === null) p.classList.add('indeterminate');
      else {
        p.classList.remove('indeterminate');
        bar.style.width = `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
      }
    },
    done() {
      el.remove();
    },
  };
}
