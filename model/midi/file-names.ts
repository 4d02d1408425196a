/**
 * Which file names are MIDI files: the one list used by the importer (import-files.ts), the hosts and
 * the page (renderer/ui/files.ts). Pure: no Node imports, so the renderer's bundle may use it.
 */
export const MIDI_EXTENSIONS: readonly string[] = ['.mid', '.midi', '.kar', '.rmi'];

/** True for MIDI file names or relative paths (any case). */
export function isMidiFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MIDI_EXTENSIONS.some((e) => lower.endsWith(e));
}
