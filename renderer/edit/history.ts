/**
 * Undo and redo as snapshots: before each edit the caller records the state it replaces; undo
 * hands back the last recorded state (keeping the current one for redo). States are immutable
 * values (the store's `pieces` array and selection), so a snapshot is a reference, not a copy.
 * A drag records once, at its start: one undo step. Pure; renderer/edit/editing.ts drives it.
 */
export class History<T> {
  private readonly done: T[] = [];
  private undone: T[] = [];

  constructor(private readonly limit = 200) {}

  /** `before` is the state an edit is about to replace; a new edit drops the redo steps. */
  record(before: T): void {
    this.done.push(before);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  /** The state to go back to (null: nothing to undo); `current` becomes redoable. */
  undo(current: T): T | null {
    const prev = this.done.pop();
    if (prev === undefined) return null;
    this.undone.push(current);
    return prev;
  }

  redo(current: T): T | null {
    const next = this.undone.pop();
    if (next === undefined) return null;
    this.done.push(current);
    return next;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  clear(): void {
    this.done.length = 0;
    this.undone = [];
  }
}
