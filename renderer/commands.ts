/**
 * Named UI commands: panels register the handlers, and buttons, the space bar and the host's menu
 * (api.onMenu) all run the same ones.
 */
import type { MenuCommand } from '../main/shared/api.js';
import { errorMessage } from './ui/dom.js';
import { toast } from './ui/toast.js';

const handlers = new Map<MenuCommand, () => void | Promise<void>>();

export function registerCommand(name: MenuCommand, handler: () => void | Promise<void>): void {
  handlers.set(name, handler);
}

export async function runCommand(name: MenuCommand): Promise<void> {
  const handler = handlers.get(name);
  if (!handler) {
    toast(`The command "${name}" is not available.`, 'error');
    return;
  }
  try {
    await handler();
  } catch (err) {
    toast(errorMessage(err), 'error');
  }
}
