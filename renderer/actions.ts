/** Actions shared by several panels: loading lists from the host, importing, exporting. */
import type { GeneratedPiece, ImportResult } from '../main/shared/api.js';
import { getApi } from './api/index.js';
import { retimePiece } from './audio/schedule.js';
import { store } from './state.js';
import { downloadBytes, safeFileName } from './ui/download.js';
import { errorMessage } from './ui/dom.js';
import { readAll, type Collected } from './ui/files.js';
import { batches } from './ui/batches.js';
import { task, toast } from './ui/toast.js';

export async function refreshCorpus(): Promise<void> {
  store.set({ corpus: await getApi().corpusList() });
}

export async function refreshModels(selectId?: string): Promise<void> {
  const models = await getApi().modelsList();
  const sorted = [...models].sort((a, b) => Number(b.bundled) - Number(a.bundled));
  let selected = selectId ?? store.get('selectedModelId');
  if (!sorted.some((m) => m.id === selected)) selected = sorted[0]?.id ?? null;
  store.set({ models: sorted, selectedModelId: selected });
}

const BATCH_BYTES = 4 * 1024 * 1024;
const BATCH_FILES = 25;

/** Reads and imports what the user chose or dropped, with progress and a summary. */
export async function importCollected(collected: Collected): Promise<void> {
  if (store.get('importing')) {
    toast('An import is already running; wait for it to finish.', 'error');
    return;
  }
  const total = collected.files.length;
  if (!total) {
    const why = collected.skipped.length ? ` (${collected.skipped.length} skipped: not MIDI files)` : '';
    store.set({ lastImport: { imported: [], skipped: [], localSkipped: collected.skipped } });
    toast(`No MIDI files to import${why}.`, 'error');
    return;
  }
  const t = task(`Reading ${total} file${total === 1 ? '' : 's'}…`);
  store.set({ importing: { done: 0, total, phase: 'reading' } });
  const result: ImportResult = { imported: [], skipped: [] };
  let localSkipped: { name: string; reason: string }[] = [];
  try {
    const read = await readAll(collected, (done) => {
      t.update((done / total) * 0.3, `Reading files… ${done}/${total}`);
      store.set({ importing: { done, total, phase: 'reading' } });
    });
    localSkipped = read.skipped;
    let done = 0;
    for (const batch of batches(read.files, BATCH_BYTES, BATCH_FILES)) {
      t.update(0.3 + (done / total) * 0.7, `Importing… ${done}/${total}`);
      store.set({ importing: { done, total, phase: 'importing' } });
      try {
        const r = await getApi().corpusImport(batch, { sustain: store.get('importSustain') });
        result.imported.push(...r.imported);
        result.skipped.push(...r.skipped);
      } catch (err) {
        // The batch failed as a whole (e.g. the host went away): every file in it is reported.
        for (const f of batch) result.skipped.push({ name: f.name, reason: errorMessage(err) });
      }
      done += batch.length;
    }
  } finally {
    t.done();
    store.set({ importing: null });
  }
  store.set({ lastImport: { ...result, localSkipped } });
  try {
    await refreshCorpus();
  } catch (err) {
    toast(`Could not refresh the corpus: ${errorMessage(err)}`, 'error');
  }
  const ok = result.imported.filter((f) => f.status === 'ok').length;
  const bad =
    result.skipped.length + localSkipped.length + result.imported.filter((f) => f.status === 'error').length;
  toast(
    `Imported ${ok} file${ok === 1 ? '' : 's'}${bad ? `, skipped ${bad} (see the import summary)` : ''}.`,
    bad && !ok ? 'error' : 'success',
  );
}

export async function exportMidi(piece: GeneratedPiece | null = store.selectedPiece()): Promise<void> {
  if (!piece) throw new Error('Nothing to export: generate a piece and select a variation first.');
  const { name, data } = await getApi().midiExport(piece);
  downloadBytes(safeFileName(name, '.mid'), data, 'audio/midi');
  toast(`Exported ${name}`, 'success');
}

export async function saveModelAs(id: string | null = store.get('selectedModelId')): Promise<void> {
  if (!id) throw new Error('Select a model in the library first.');
  const t = task('Exporting model…');
  try {
    const { name, data } = await getApi().modelExport(id);
    downloadBytes(safeFileName(name), data, 'application/octet-stream');
    toast(`Saved ${name} (${(data.length / 1024).toFixed(0)} KB)`, 'success');
  } finally {
    t.done();
  }
}

export async function openModelFile(file: File): Promise<void> {
  const t = task(`Opening ${file.name}…`);
  try {
    const data = new Uint8Array(await file.arrayBuffer());
    const info = await getApi().modelImport({ name: file.name, data });
    await refreshModels(info.id);
    toast(`Opened model “${info.name}”`, 'success');
  } finally {
    t.done();
  }
}

/**
 * The one tempo: sets it, and re-times the selected piece to it (its notes stay on their beats) so
 * that playback, the roll, the variation list and both exports agree. The loop region keeps its bars.
 */
export function setTempo(bpm: number): void {
  const piece = store.selectedPiece();
  if (!piece || Math.abs(piece.bpm - bpm) < 1e-9) {
    store.set({ tempo: bpm });
    return;
  }
  const k = piece.bpm / bpm;
  const r = store.get('loopRegion');
  store.set({
    tempo: bpm,
    pieces: store.get('pieces').map((p) => (p.id === piece.id ? retimePiece(p, bpm) : p)),
    ...(r ? { loopRegion: { start: r.start * k, end: r.end * k } } : {}),
  });
}
