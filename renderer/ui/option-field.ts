/**
 * Form fields built from the core's option tables (model/common): a number input takes its min,
 * max, step and default from the row, a select its choices and labels, and reading a field checks
 * the value with the core's own `checkOption`, so the form refuses what the host would, with the
 * same words.
 */
import {
  checkOption,
  InputError,
  optionStep,
  type NumberSpec,
  type OptionSpec,
} from '../../model/common/options.js';
import { h } from './dom.js';

/** The value typed into a number field: a number within the row's bounds, or an Error to show. */
export function readNumberField(spec: NumberSpec, raw: string, label: string): number {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (Number.isNaN(v)) throw new InputError(`${label} must be a number (got "${raw}")`);
  return checkOption(spec, v, label) as number;
}

/** The input or select of a table row; `value` replaces the row's default. */
export function optionControl(
  spec: OptionSpec,
  field: string,
  value: number | string | undefined = spec.default,
): HTMLInputElement | HTMLSelectElement {
  if (spec.kind === 'choice') {
    const labels = spec.labels as Record<string, string> | undefined;
    const select = h(
      'select',
      { 'data-field': field },
      spec.choices.map((c) => h('option', { value: c, text: labels?.[c] ?? c })),
    );
    if (value !== undefined) select.value = String(value);
    return select;
  }
  if (spec.kind === 'text')
    return h('input', { type: 'text', value: value ?? '', 'data-field': field, maxlength: spec.maxLength });
  return h('input', {
    type: 'number',
    min: spec.min,
    max: spec.max,
    step: optionStep(spec),
    'data-field': field,
    ...(value === undefined ? {} : { value }),
  });
}

/** A labelled form row: the row's label, the control, and its help (shown, or as a tooltip). */
export function optionRow(spec: OptionSpec, control: HTMLElement, helpShown = true, cls = ''): HTMLElement {
  return h(
    'label',
    { class: `field ${cls}`, title: helpShown ? undefined : spec.help },
    h('span', { class: 'field-label', text: spec.label }),
    control,
    helpShown ? h('span', { class: 'field-help', text: spec.help }) : null,
  );
}
