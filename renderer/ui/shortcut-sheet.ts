/** The shortcut sheet (?): a dialog listing, by group, every shortcut whose command is registered. */
import { SHORTCUTS, type ShortcutGroup } from '../../main/shared/shortcuts.js';
import { hasCommand } from '../commands.js';
import { isMacPlatform, keyLabel } from '../shortcuts.js';
import { clear, h } from './dom.js';

export function shortcutSheet(): { dialog: HTMLDialogElement; toggle(): void } {
  const body = h('div', { class: 'shortcut-groups' });
  const close = h('button', { class: 'primary', text: 'Close' });
  const dialog = h(
    'dialog',
    { class: 'shortcuts', 'data-testid': 'shortcut-sheet' },
    h('h2', { text: 'Keyboard shortcuts' }),
    body,
    h(
      'p',
      { class: 'muted small-text' },
      'On the piano roll: wheel scrolls the pitches, Shift+wheel scrolls in time, Ctrl+wheel zooms in time and Ctrl+Shift+wheel zooms the pitches. Drag on the ruler to set a loop region; double-click the ruler to clear it.',
    ),
    h('div', { class: 'dialog-actions' }, close),
  );
  close.addEventListener('click', () => dialog.close());
  const render = () => {
    clear(body);
    const isMac = isMacPlatform();
    const groups = new Map<ShortcutGroup, HTMLElement>();
    for (const s of SHORTCUTS) {
      if (!hasCommand(s.command)) continue;
      let rows = groups.get(s.group);
      if (!rows) {
        rows = h('tbody');
        groups.set(s.group, rows);
        body.append(h('section', {}, h('h3', { text: s.group }), h('table', {}, rows)));
      }
      rows.append(
        h(
          'tr',
          { 'data-command': s.command },
          h(
            'td',
            { class: 'keys' },
            s.keys.map((k) => h('kbd', { text: keyLabel(k, isMac) })),
          ),
          h('td', { text: s.label }),
        ),
      );
    }
  };
  return {
    dialog,
    toggle() {
      if (dialog.open) dialog.close();
      else {
        render();
        dialog.showModal();
      }
    },
  };
}
