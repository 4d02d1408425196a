/**
 * File names: which names are MIDI files (the one list used by the importer, import-files.ts, the
 * hosts and the page, renderer/ui/files.ts), and the one rule for names the app writes (exported
 * MIDI, WAV and model bundles). Pure: no Node imports, so the renderer's bundle may use it.
 */
export const MIDI_EXTENSIONS: readonly string[] = ['.mid', '.midi', '.kar', '.rmi'];

/** True for MIDI file names or relative paths (any case). */
export function isMidiFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MIDI_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** Longest base name written (the extension comes on top). */
export const MAX_BASE_NAME_CHARS = 100;

/**
 * Device names Windows reserves whatever the extension ("con.mid" cannot be created either):
 * CON, PRN, AUX, NUL, COM0-9, LPT0-9 (also with the superscript digits ¹²³), any case.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|(com|lpt)[0-9\u00b9\u00b2\u00b3])$/i;

/**
 * A file name safe on every OS for `name`, ending in `ext` ('' for none; `ext` itself is trusted):
 * invisible characters (controls, bidi overrides such as U+202E, zero-width marks) are removed, so
 * a name cannot look like another one; `ext` already at the end is not doubled (any case); anything
 * but letters, digits, marks, space and `_.()-` becomes `_`; leading dots and trailing dots and spaces
 * go (Windows drops them); a Windows device name gets a leading `_`; the base is cut to 100
 * characters; an empty result is `fallback`.
 */
export function exportFileName(name: string, ext: string, fallback = 'untitled'): string {
  let base = String(name)
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (ext && base.toLowerCase().endsWith(ext.toLowerCase())) base = base.slice(0, -ext.length);
  base = base
    .replace(/[^\p{L}\p{M}\p{N} _.()-]+/gu, '_')
    .replace(/^[. ]+/, '')
    .slice(0, MAX_BASE_NAME_CHARS)
    .replace(/[. ]+$/, '');
  if (!base) base = fallback;
  if (WINDOWS_RESERVED.test(base.split('.')[0].trim())) base = `_${base}`;
  return `${base}${ext}`;
}
