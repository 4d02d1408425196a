/**
 * The Generate panel's settings, one field per row of the core's table (GENERATE_OPTIONS) in its
 * order: a new row shows up here by itself. Compact fields go two to a line; the temperature is a
 * slider and the seed has a dice button; the tempo is the transport's (not a field here).
 */
import type { GenerateOptions } from '../../main/shared/api.js';
// The browser-safe part of the core: the option table the host checks with.
import { GENERATE_OPTIONS } from '../../model/common/generate-options.js';
import type { OptionSpec } from '../../model/common/options.js';
import { h } from '../ui/dom.js';
import { optionControl, optionRow, readNumberField } from '../ui/option-field.js';

const G = GENERATE_OPTIONS;
type Field = keyof typeof G;

/** What the form sets: everything of GenerateOptions but the model, the primer and the tempo (the transport's). */
export type FormSettings = Omit<GenerateOptions, 'modelId' | 'primer' | 'tempo'>;

/** Rows the form leaves to other controls: the tempo is the transport's field. */
const ELSEWHERE: readonly Field[] = ['tempo'];

export interface GenerateForm {
  /** The form's lines, in order (children of the panel's column). */
  rows: HTMLElement[];
  /** The settings as typed; throws an Error saying which is out of bounds. */
  read(): FormSettings;
  /** A primer's key and mode become the key (and the scale, when one of major/minor is chosen). */
  adoptKey(key: string, mode: 'major' | 'minor'): void;
}

type Control = HTMLInputElement | HTMLSelectElement;

/** The temperature as a slider with its value shown. */
function temperatureRow(input: HTMLInputElement): HTMLElement {
  input.type = 'range';
  const shown = h('output', { class: 'range-value', text: G.temperature.default.toFixed(2) });
  input.addEventListener('input', () => (shown.textContent = Number(input.value).toFixed(2)));
  return optionRow(G.temperature, h('div', { class: 'inline' }, input, shown));
}

/** The seed (a random one to start with) and a button that rolls a new one in the table's range. */
function seedRow(input: HTMLInputElement): HTMLElement {
  input.value = String(Math.floor(Math.random() * 1e6));
  const dice = h('button', {
    class: 'icon-btn dice',
    title: 'Roll a new seed',
    'aria-label': 'Roll a new seed',
    text: '⚄ New',
  });
  dice.addEventListener('click', () => (input.value = String(Math.floor(Math.random() * (G.seed.max + 1)))));
  return optionRow(G.seed, h('div', { class: 'inline' }, input, dice));
}

/** Fields with a line of their own; every other field is compact (help as a tooltip). */
const WIDE: Partial<Record<Field, (input: HTMLInputElement) => HTMLElement>> = {
  temperature: temperatureRow,
  seed: seedRow,
};

function readControl(spec: OptionSpec, control: Control): number | string {
  return spec.kind === 'number' ? readNumberField(spec, control.value, spec.label) : control.value;
}

export function generateForm(): GenerateForm {
  const fields = (Object.keys(G) as Field[]).filter((k) => !ELSEWHERE.includes(k));
  const controls = new Map<Field, Control>(fields.map((k) => [k, optionControl(G[k], k)]));
  const rows: HTMLElement[] = [];
  let pending: HTMLElement | null = null; // a compact field waiting for its neighbour
  const flush = () => {
    if (pending) rows.push(h('div', { class: 'two' }, pending));
    pending = null;
  };
  for (const k of fields) {
    const wide = WIDE[k];
    if (wide) {
      flush();
      rows.push(wide(controls.get(k) as HTMLInputElement));
    } else if (pending) {
      rows.push(h('div', { class: 'two' }, pending, optionRow(G[k], controls.get(k)!, false)));
      pending = null;
    } else pending = optionRow(G[k], controls.get(k)!, false);
  }
  flush();
  const key = controls.get('key')!;
  const scale = controls.get('scale')!;
  return {
    rows,
    read: () =>
      Object.fromEntries(
        fields.map((k) => [k, readControl(G[k], controls.get(k)!)]),
      ) as unknown as FormSettings,
    adoptKey: (k, mode) => {
      key.value = k;
      if (scale.value === 'major' || scale.value === 'minor') scale.value = mode;
    },
  };
}
