import {
  defaultTrackSelection,
  importMidiFiles,
  STEPS_PER_QUARTER,
  type GridName,
  quantizePiece,
  summarizePiece,
  ticksToSeconds,
  trackListing,
  untrainableReason,
  type IgnoredEvents,
  type SustainReport,
  type TrackListing,
} from '../../model/index.js';
import { noSustainFlag, parseArgs, UsageError, type FlagSpecs } from '../args.js';
import type { CliIO } from '../io.js';
import { formatDuration } from '../io.js';

export const inspectFlags: FlagSpecs = {
  json: { type: 'boolean', help: 'one JSON document with every file' },
  grid: {
    type: 'string',
    choices: Object.keys(STEPS_PER_QUARTER),
    help: 'quantization grid for the report (default 16th)',
  },
  'no-sustain': noSustainFlag,
};

export const inspectUsage = 'ostinato inspect <files|folders…> [--json] [--grid 16th] [--no-sustain]';

/** A tempo or meter event as inspect lists it: where (tick, 1-based beat, seconds) and what. */
interface TimedEvent {
  tick: number;
  beat: number;
  seconds: number;
}

interface FileReport {
  file: string;
  ok: boolean;
  error?: string;
  tracks?: TrackListing[];
  notes?: number;
  durationSeconds?: number;
  bpm?: number;
  tempoChanges?: number;
  timeSignature?: [number, number];
  timeSignatureChanges?: number;
  key?: string | null;
  /** Every tempo event of the file, in tick order (none: 120 bpm throughout). */
  tempos?: (TimedEvent & { bpm: number })[];
  /** Every time signature event of the file, in tick order (none: 4/4 throughout). */
  timeSignatures?: (TimedEvent & { numerator: number; denominator: number })[];
  sustain?: SustainReport;
  ignored?: IgnoredEvents;
  /** Why the file gives nothing to train on; null when it gives something. */
  untrainable?: string | null;
  warnings?: string[];
  quantization?: {
    grid: GridName;
    notes: number;
    moved: number;
    meanShiftSteps: number;
    maxShiftSteps: number;
    droppedOutOfRange: number;
    droppedOverPolyphony: number;
    mergedDuplicates: number;
  };
}

/** Exit code 0 when every file was read, 1 when any failed (each failure is listed with its reason). */
export async function inspectCommand(argv: string[], io: CliIO): Promise<number> {
  const { positionals, flags } = parseArgs(argv, inspectFlags);
  if (positionals.length === 0) throw new UsageError('inspect needs at least one MIDI file or folder');
  const grid = (flags.grid as GridName | undefined) ?? '16th';
  const result = await importMidiFiles(positionals, { sustain: !flags['no-sustain'] });
  const reports: FileReport[] = [];
  for (const { path, piece } of result.pieces) {
    const s = summarizePiece(piece);
    const when = (tick: number): TimedEvent => ({
      tick,
      beat: Math.round((tick / piece.ppq + 1) * 1000) / 1000,
      seconds: ticksToSeconds(piece.tempos, piece.ppq, tick),
    });
    const r: FileReport = {
      file: path,
      ok: true,
      tracks: s.tracks.map(trackListing),
      notes: s.notes,
      durationSeconds: s.durationSeconds,
      bpm: s.bpm,
      tempoChanges: s.tempoChanges,
      timeSignature: s.timeSignature,
      timeSignatureChanges: s.timeSignatureChanges,
      key: s.key,
      tempos: piece.fileEvents.tempos.map((t) => ({ ...when(t.tick), bpm: t.bpm })),
      timeSignatures: piece.fileEvents.timeSignatures.map((t) => ({
        ...when(t.tick),
        numerator: t.numerator,
        denominator: t.denominator,
      })),
      sustain: piece.sustain,
      ignored: piece.ignored,
      warnings: piece.warnings,
    };
    try {
      const quantized = quantizePiece(piece, { grid });
      const q = quantized.report;
      r.untrainable = untrainableReason(piece, defaultTrackSelection(piece), q, quantized.piece.notes.length);
      r.quantization = {
        grid,
        notes: q.notes,
        moved: q.moved,
        meanShiftSteps: q.meanShiftSteps,
        maxShiftSteps: q.maxShiftSteps,
        droppedOutOfRange: q.droppedOutOfRange,
        droppedOverPolyphony: q.droppedOverPolyphony,
        mergedDuplicates: q.mergedDuplicates,
      };
    } catch (e) {
      r.ok = false;
      r.error = `could not be quantized: ${(e as Error).message}`;
    }
    reports.push(r);
  }
  for (const s of result.skipped) reports.push({ file: s.file, ok: false, error: s.reason });
  reports.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  if (flags.json) io.stdout(JSON.stringify({ files: reports }, null, 2) + '\n');
  else {
    for (const r of reports) {
      if (!r.ok) {
        io.stdout(`${r.file}: ERROR ${r.error}\n`);
        continue;
      }
      const q = r.quantization!;
      io.stdout(
        `${r.file}: ${r.tracks!.length} track${r.tracks!.length === 1 ? '' : 's'}, ${r.notes} notes, ${formatDuration(r.durationSeconds!)}, ` +
          `${round(r.bpm!)} bpm${r.tempoChanges ? ` (+${r.tempoChanges} tempo changes)` : ''}, ${r.timeSignature!.join('/')}` +
          `${r.timeSignatureChanges ? ` (+${r.timeSignatureChanges} meter changes)` : ''}` +
          `${r.key ? `, ${r.key}` : ''}\n` +
          `  quantization (${q.grid}): ${q.moved} of ${q.notes} notes moved, mean shift ${q.meanShiftSteps.toFixed(2)} steps (max ${round(q.maxShiftSteps)}); ` +
          `dropped ${q.droppedOutOfRange} out of range, ${q.droppedOverPolyphony} over polyphony; ${q.mergedDuplicates} duplicates merged\n`,
      );
      for (const t of r.tracks!)
        io.stdout(
          `  track ${t.index}${t.name ? ` "${t.name}"` : ''}: ${t.instrument}, channel ${t.channel + 1}, ${t.notes} notes${t.isDrum ? ' (drums, not used for training)' : ''}\n`,
        );
      for (const w of r.warnings ?? []) io.stdout(`  warning: ${w}\n`);
      if (r.untrainable) io.stdout(`  ${r.untrainable}\n`);
    }
    const bad = reports.filter((r) => !r.ok).length;
    io.stderr(`${reports.length - bad} file${reports.length - bad === 1 ? '' : 's'} read, ${bad} failed\n`);
  }
  if (reports.length === 0) {
    io.stderr('no MIDI files found\n');
    return 1;
  }
  return reports.every((r) => r.ok) ? 0 : 1;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
