/** Helpers for the host tests (not shipped: only *.test.ts files import this). */
import { mkdtempSync, promises as fs, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseMidi, quantizePiece, trainModel } from '../../model/index.js';
import { makeReadOnlyFolder } from '../../bench/stress-fs.js';
import { OstinatoHost, type HostOptions } from './host.js';

export const REPO_ROOT = resolve(__dirname, '../..');
/** The shared data folder, beside the repo (../shared from the repo root). */
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
export const NOTTINGHAM = join(SHARED_DATA, 'nottingham-midi');

export function tempDir(t: { after(fn: () => Promise<void>): void }, prefix = 'ostinato-host-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(async () => {
    await fs.chmod(dir, 0o755).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A browser host on a fresh user-data folder, disposed after the test. */
export async function testHost(
  t: { after(fn: () => Promise<void>): void },
  extra: Partial<HostOptions> = {},
): Promise<OstinatoHost> {
  const host = await OstinatoHost.create({
    userDataDir: tempDir(t),
    bundledModelDir: null,
    host: 'browser',
    version: 't',
    ...extra,
  });
  t.after(() => host.dispose());
  return host;
}

export function nottingham(name: string): { name: string; data: Uint8Array } {
  return { name, data: new Uint8Array(readFileSync(join(NOTTINGHAM, name))) };
}

/** Root ignores file permissions, so read-only-folder tests only mean something for other users. */
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

let tinyModel: Promise<string> | null = null;

/**
 * A real (tiny) model folder, trained once per test process by the core's trainModel on two
 * Nottingham tunes (hidden 8, one epoch: about a second), then copied where a test needs it with
 * its name and creation date set.
 */
export async function makeTinyModel(
  dest: string,
  name: string,
  createdAt = new Date().toISOString(),
): Promise<void> {
  tinyModel ??= (async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ostinato-tiny-')), 'model');
    process.on('exit', () => rmSync(dirname(dir), { recursive: true, force: true }));
    const pieces = ['ashover1.mid', 'ashover2.mid'].map(
      (f) => quantizePiece(parseMidi(nottingham(f).data, f), { grid: '16th' }).piece,
    );
    await trainModel({
      pieces,
      outDir: dir,
      options: {
        name: 'tiny',
        epochs: 1,
        hiddenSize: 8,
        numLayers: 1,
        embeddingDim: 4,
        dropout: 0,
        seqLen: 16,
        batchSize: 8,
        transpose: 0,
      },
    });
    return dir;
  })();
  await fs.cp(await tinyModel, dest, { recursive: true });
  const path = join(dest, 'model.json');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  await fs.writeFile(path, JSON.stringify({ ...m, name, createdAt }, null, 2));
}

/**
 * A read-only copy of the files of `dir` (bench/stress-fs.ts makeReadOnlyFolder: a read-only tmpfs
 * or permissions), removed after the test; null, with the test skipped and the reason given, where
 * this machine cannot make one.
 */
export async function readOnlyCopy(
  t: { after(fn: () => Promise<void>): void; skip(reason: string): void; diagnostic(s: string): void },
  dir: string,
): Promise<string | null> {
  const files: Record<string, Uint8Array> = {};
  for (const n of readdirSync(dir)) files[n] = readFileSync(join(dir, n));
  const ro = await makeReadOnlyFolder(files);
  if ('unavailable' in ro) {
    t.skip(ro.unavailable);
    return null;
  }
  t.after(ro.cleanup);
  t.diagnostic(`read-only folder made by: ${ro.method}`);
  return ro.dir;
}

/** A small generated piece (session and project tests). */
export function samplePiece(id: string, pitch = 60): import('../shared/api.js').GeneratedPiece {
  return {
    id,
    name: `Piece ${id}`,
    seed: 42,
    bpm: 120,
    timeSignature: [4, 4],
    bars: 1,
    durationSeconds: 2,
    notes: [
      { pitch, time: 0, duration: 0.5, velocity: 0.8 },
      { pitch: pitch + 4, time: 0.5, duration: 0.25, velocity: 0.6 },
    ],
    primerNotes: 0,
  };
}
