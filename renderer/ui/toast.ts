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

export function toast(message: string, kind: 'info' | 'success' | 'error' = 'info', ms?: number): void {
  const close = h('button', { class: 'toast-close', title: 'Dismiss', 'aria-label': 'Dismiss', text: '×' });
  const el = h(
    'div',
    { class: `toast toast-${kind}`, 'data-kind': kind },
    h('span', { class: 'toast-text', text: message }),
    close,
  );
  const remove = () => el.remove();
  close.addEventListener('click', remove);
  root().append(el);
  setTimeout(remove, ms ?? (kind === 'error' ? 12000 : 4500));
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
