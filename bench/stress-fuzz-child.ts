/**
 * Worker process of the importer fuzz: receives cases over IPC, runs each through the app's import
 * path (parseMidi, then quantizePiece and summarizePiece on the default tracks, as the corpus import
 * does) and reports the outcome, the time and the memory high-water mark. Started by
 * bench/stress-fuzz-run.ts with --max-old-space-size; a case that crashes or hangs this process is
 * seen by the parent (exit / timeout), never hidden here.
 */
import { MidiImportError, parseMidi, quantizePiece, summarizePiece } from '../model/midi/index.js';

export interface FuzzRequest {
  index: number;
  name: string;
  bytes: Uint8Array;
  /**
   * Calibration of the harness only (never set for fuzz cases): make this worker hang, crash or
   * allocate past the memory cap, to prove the parent detects each.
   */
  selfTest?: 'hang' | 'crash' | 'memory';
}

export interface FuzzReply {
  index: number;
  outcome: 'imported' | 'clean-error' | 'raw-error';
  /** Error message (clean or raw), or warnings/notes count when imported. */
  message: string;
  /** Wall-clock time of the case. */
  ms: number;
  /** CPU time (user + system) of the case: what the case itself costs, whatever else the machine runs. */
  cpuMs: number;
  /** Process RSS high-water mark after the case, bytes (getrusage ru_maxrss). */
  maxRss: number;
  /** Heap used right after the case, bytes. */
  heapUsed: number;
}

function runCase(req: FuzzRequest): Omit<FuzzReply, 'ms' | 'cpuMs' | 'maxRss' | 'heapUsed'> {
  try {
    const piece = parseMidi(req.bytes, req.name);
    const q = quantizePiece(piece);
    const s = summarizePiece(piece);
    return {
      index: req.index,
      outcome: 'imported',
      message: `${s.notes} notes, ${q.piece.notes.length} on the grid, ${piece.warnings.length} warning(s)`,
    };
  } catch (err) {
    const clean = err instanceof MidiImportError && err.file === req.name && err.message.includes(req.name);
    const message = err instanceof Error ? `${err.name}: ${err.message}` : `non-Error thrown: ${String(err)}`;
    return { index: req.index, outcome: clean ? 'clean-error' : 'raw-error', message: message.slice(0, 500) };
  }
}

const hoard: Uint8Array[] = [];

process.on('message', (msg: FuzzRequest) => {
  if (msg.selfTest === 'hang') for (;;);
  if (msg.selfTest === 'crash') process.kill(process.pid, 'SIGKILL'); // no core file, unlike abort()
  if (msg.selfTest === 'memory') {
    // Off-heap memory, touched so that it counts in RSS; grows until the parent kills the worker.
    const grow = () => {
      hoard.push(new Uint8Array(64 * 1024 * 1024).fill(1));
      setTimeout(grow, 5);
    };
    grow();
    return;
  }
  const bytes =
    msg.bytes instanceof Uint8Array ? msg.bytes : new Uint8Array(Object.values(msg.bytes as object));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = runCase({ ...msg, bytes });
  const c1 = process.cpuUsage(c0);
  const ms = performance.now() - t0;
  const cpuMs = (c1.user + c1.system) / 1000;
  const reply: FuzzReply = {
    ...r,
    ms,
    cpuMs,
    maxRss: process.resourceUsage().maxRSS * 1024,
    heapUsed: process.memoryUsage().heapUsed,
  };
  process.send!(reply);
});
process.send!({ ready: true });
