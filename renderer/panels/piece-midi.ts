/**
 * Each piece's MIDI file as a blob URL, made ahead so that dragging a variation out can carry it
 * (dragstart is synchronous). Kept in step with the store's pieces: an edited or re-timed piece
 * (a new object) is exported again, a removed one is released.
 */
import type { GeneratedPiece } from '../../main/shared/api.js';
import { getApi } from '../api/index.js';
import { safeFileName } from '../ui/download.js';

interface Prepared {
  piece: GeneratedPiece;
  url: string;
  name: string;
}

const prepared = new Map<string, Prepared>();
/** The piece object each id was last asked for: an older export finishing late is dropped. */
const wanted = new Map<string, GeneratedPiece>();

export function preparedMidi(id: string): { url: string; name: string } | undefined {
  return prepared.get(id);
}

export async function syncMidi(pieces: readonly GeneratedPiece[]): Promise<void> {
  const ids = new Set(pieces.map((p) => p.id));
  for (const [id, v] of prepared)
    if (!ids.has(id)) {
      URL.revokeObjectURL(v.url);
      prepared.delete(id);
    }
  for (const id of wanted.keys()) if (!ids.has(id)) wanted.delete(id);
  await Promise.all(
    pieces.map(async (p) => {
      if (prepared.get(p.id)?.piece === p || wanted.get(p.id) === p) return;
      wanted.set(p.id, p);
      try {
        const { name, data } = await getApi().midiExport(p);
        if (wanted.get(p.id) !== p) return;
        const old = prepared.get(p.id);
        if (old) URL.revokeObjectURL(old.url);
        prepared.set(p.id, {
          piece: p,
          url: URL.createObjectURL(new Blob([data as BlobPart], { type: 'audio/midi' })),
          name: safeFileName(name, '.mid'),
        });
      } catch {
        // Dragging this one out falls back to the host's native drag; export still reports errors.
      }
    }),
  );
}
