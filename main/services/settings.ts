/**
 * App settings in <userData>/settings.json, saved atomically (a failed save leaves the previous
 * file intact). A corrupt file is moved aside (settings.json.corrupt-<time>) and defaults are used,
 * so one bad byte never stops the app from starting.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { GridName, TrainingOptions } from '../shared/api.js';
import { atomicTempTarget, writeJsonAtomic } from '../../model/index.js';
import { GRID_NAMES, checkTrainingOptions } from '../shared/validate.js';
import { readJsonFile, removeLeftovers } from './util.js';

export interface WindowBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Settings {
  version: 1;
  /** Grid used to quantize the corpus (what the corpus panel reports). */
  corpusGrid: GridName;
  /** The options of the last training started, offered as the next defaults. */
  lastTraining: TrainingOptions | null;
  window: WindowBounds | null;
}

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  corpusGrid: '16th',
  lastTraining: null,
  window: null,
};

function sanitize(raw: unknown): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS };
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Record<string, unknown>;
  if (GRID_NAMES.includes(r.corpusGrid as GridName)) s.corpusGrid = r.corpusGrid as GridName;
  if (r.lastTraining) {
    try {
      s.lastTraining = checkTrainingOptions(r.lastTraining, 'lastTraining');
    } catch {
      s.lastTraining = null; // written by an older version with other limits: forget it
    }
  }
  const w = r.window as Record<string, unknown> | null | undefined;
  if (w && ['x', 'y', 'width', 'height'].every((k) => typeof w[k] === 'number' && Number.isFinite(w[k]))) {
    s.window = { x: w.x as number, y: w.y as number, width: w.width as number, height: w.height as number };
  }
  return s;
}

export class SettingsStore {
  readonly path: string;
  private current: Settings = { ...DEFAULT_SETTINGS };

  constructor(userDataDir: string) {
    this.path = join(userDataDir, 'settings.json');
  }

  async load(): Promise<Settings> {
    // The temp files of saves that were killed before their rename (only this file's own).
    await removeLeftovers(dirname(this.path), (n) => atomicTempTarget(n) === basename(this.path));
    try {
      this.current = sanitize(await readJsonFile(this.path));
    } catch (err) {
      if (!/corrupt/.test((err as Error).message)) throw err;
      await fs.rename(this.path, `${this.path}.corrupt-${Date.now()}`).catch(() => undefined);
      this.current = { ...DEFAULT_SETTINGS };
    }
    return this.get();
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /** Saves a change; on failure the file and the in-memory settings keep their previous values. */
  async update(change: Partial<Omit<Settings, 'version'>>): Promise<Settings> {
    const next = sanitize({ ...this.current, ...change });
    await writeJsonAtomic(this.path, next);
    this.current = next;
    return this.get();
  }
}
