/**
 * Named UI commands: panels register the handlers, and buttons, keyboard shortcuts
 * (renderer/shortcuts.ts) and the host's menu (api.onMenu) all run the same ones.
 */
import type { MenuCommand } from '../main/shared/api.js';
import { errorMessage } from './ui/dom.js';
import { toast } from './ui/toast.js';

interface Entry {
  run: () => void | Promise<void>;
  /** When false, a shortcut's key passes on to the next entry sharing it (or to the page). */
  when?: () => boolean;
}

const handlers = new Map<MenuCommand, Entry>();

export function registerCommand(
  name: MenuCommand,
  handler: () => void | Promise<void>,
  when?: () => boolean,
): void {
  handlers.set(name, { run: handler, when });
}

/** Registered at all (the shortcut sheet lists only these). */
export function hasCommand(name: MenuCommand): boolean {
  return handlers.has(name);
}

/** Registered and its condition holds now. */
export function commandAvailable(name: MenuCommand): boolean {
  const e = handlers.get(name);
  return !!e && (e.when?.() ?? true);
}

export async function runCommand(name: MenuCommand): Promise<void> {
  const handler = handlers.get(name);
  if (!handler) {
    toast(`The command "${name}" is not available.`, 'error');
    return;
  }
  try {
    await handler.run();
  } catch (err) {
    toast(errorMessage(err), 'error');
  }
}
