import { InputError } from '../common/options.js';

/**
 * The one error type of the MIDI importer. Every way a file can fail to import (not MIDI, truncated,
 * corrupt framing, no notes, too large, anything the underlying parser rejects) ends up as a
 * MidiImportError with the file's name and a readable reason, never as a raw stack or a string throw.
 * (One odd event is never a reason: see smf-reader.ts; it becomes a warning.)
 */
export class MidiImportError extends InputError {
  readonly file: string;
  readonly reason: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}`, options);
    this.name = 'MidiImportError';
    this.file = file;
    this.reason = reason;
  }
}

/** The readable text of anything thrown (Error, string, other). */
export function describeThrown(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return String(err);
  } catch {
    return 'unknown error';
  }
}
