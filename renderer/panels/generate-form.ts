/** The Generate panel's settings: length, variations, sampling, seed, key and scale, from the core's table. */
import type { GenerateOptions, ScaleName } from '../../main/shared/api.js';
// The browser-safe part of the core: the option table the host checks with.
import { GENERATE_OPTIONS } from '../../model/common/generate-options.js';
import { h } from '../ui/dom.js';
import { optionControl, optionRow, readNumberField } from '../ui/option-field.js';

const G = GENERATE_OPTIONS;

/** What the form sets: everything of GenerateOptions but the model, the primer and the tempo (the transport's). */
export type FormSettings = Omit<GenerateOptions, 'modelId' | 'primer' | 'tempo'>;

export interface GenerateForm {
  /** The form's rows, in order (children of the panel's column). */
  rows: HTMLElement[];
  /** The settings as typed; throws an Error saying which is out of bounds. */
  read(): FormSettings;
  /** A primer's key and mode become the key (and the scale, when one of major/minor is chosen). */
  adoptKey(key: string, mode: 'major' | 'minor'): void;
}

/** A seed from the table's range. */
function randomSeed(): number {
  return Math.floor(Math.random() * (G.seed.max + 1));
}

function temperatureControl(): { row: HTMLElement; input: HTMLInputElement } {
  const input = optionControl(G.temperature, 'temperature') as HTMLInputElement;
  input.type = 'range';
  const shown = h('output', { class: 'range-value', text: G.temperature.default.toFixed(2) });
  input.addEventListener('input', () => (shown.textContent = Number(input.value).toFixed(2)));
  return { row: optionRow(G.temperature, h('div', { class: 'inline' }, input, shown)), input };
}

function seedControl(): { row: HTMLElement; input: HTMLInputElement } {
  const input = optionControl(G.seed, 'seed', Math.floor(Math.random() * 1e6)) as HTMLInputElement;
  const dice = h('button', {
    class: 'icon-btn dice',
    title: 'Roll a new seed',
    'aria-label': 'Roll a new seed',
    text: '⚄ New',
  });
  dice.addEventListener('click', () => (input.value = String(randomSeed())));
  return { row: optionRow(G.seed, h('div', { class: 'inline' }, input, dice)), input };
}

export function generateForm(): GenerateForm {
  const bars = optionControl(G.bars, 'bars') as HTMLInputElement;
  const variations = optionControl(G.variations, 'variations') as HTMLInputElement;
  const topK = optionControl(G.topK, 'topK') as HTMLInputElement;
  const topP = optionControl(G.topP, 'topP') as HTMLInputElement;
  const key = optionControl(G.key, 'key') as HTMLSelectElement;
  const scale = optionControl(G.scale, 'scale') as HTMLSelectElement;
  const temperature = temperatureControl();
  const seed = seedControl();
  const pair = (a: HTMLElement, b: HTMLElement) => h('div', { class: 'two' }, a, b);
  const rows = [
    pair(optionRow(G.bars, bars, false), optionRow(G.variations, variations, false)),
    temperature.row,
    pair(optionRow(G.topK, topK, false), optionRow(G.topP, topP, false)),
    seed.row,
    pair(optionRow(G.key, key, false), optionRow(G.scale, scale, false)),
  ];
  const num = (
    spec: (typeof G)['bars' | 'variations' | 'temperature' | 'topK' | 'topP' | 'seed'],
    el: HTMLInputElement,
  ) => readNumberField(spec, el.value, spec.label);
  return {
    rows,
    read: () => ({
      bars: num(G.bars, bars),
      temperature: num(G.temperature, temperature.input),
      topK: num(G.topK, topK),
      topP: num(G.topP, topP),
      seed: num(G.seed, seed.input),
      key: key.value,
      scale: scale.value as ScaleName,
      variations: num(G.variations, variations),
    }),
    adoptKey: (k, mode) => {
      key.value = k;
      if (scale.value === 'major' || scale.value === 'minor') scale.value = mode;
    },
  };
}
