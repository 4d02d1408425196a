/**
 * Runtime validation of every API method's arguments, shared by the Electron IPC handlers and the
 * local WebSocket host. Anything arriving from the renderer is untrusted: types, ranges, string
 * lengths, payload sizes and names are checked here, with a message that says which argument is
 * wrong and why. Whether an id names an existing corpus file or model is checked by the host
 * services (they know the entities); this module checks that an id is well-formed.
 *
 * Pure TypeScript: no Node, no Electron, no DOM (the renderer may use it too).
 */
import { API_METHODS } from './api.js';
import type {
  ApiMethod,
  GeneratedPiece,
  GenerateOptions,
  ImportFile,
  ImportOptions,
  PieceNote,
  ProjectSource,
  Session,
  TrainingOptions,
} from './api.js';
// The browser-safe part of the core (model/common): the option tables and their one checker.
import { GRID_NAMES } from '../../model/common/types.js';
import { MAX_CALL_BINARY_BYTES } from './wire.js';
import { SCALE_NAMES } from '../../model/common/scales.js';
import { KEY_NAMES } from '../../model/common/transpose.js';
import {
  checkNumberIn,
  checkOption,
  checkOptions,
  describeValue,
  InputError,
} from '../../model/common/options.js';
import { TRAINING_OPTIONS } from '../../model/common/training-options.js';
import { GENERATE_OPTIONS, PRIMER_OPTIONS } from '../../model/common/generate-options.js';

export const LIMITS = {
  maxFileBytes: 50 * 1024 * 1024, // one MIDI file or model bundle
  maxCallBytes: MAX_CALL_BINARY_BYTES, // all binary payloads of one call together
  maxFilesPerImport: 5000,
  maxNameLength: 200, // model names, piece names
  maxPathLength: 1024, // relative path of an imported file
  maxIdLength: 64,
  maxIdsPerCall: 10000,
  maxTracks: 1024,
  maxPieceNotes: 200000,
  maxBars: GENERATE_OPTIONS.bars.max,
  maxSessionPieces: 256,
} as const;

export { GRID_NAMES, SCALE_NAMES, KEY_NAMES, InputError };

function fail(path: string, why: string): never {
  throw new InputError(`${path} ${why}`);
}

// ---------------------------------------------------------------------------------------------
// Primitive checks

export function checkObject(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) {
    fail(path, `must be an object (got ${describeValue(v)})`);
  }
  return v as Record<string, unknown>;
}

/** Rejects keys the contract does not define (typos and smuggled fields alike). */
function checkKeys(o: Record<string, unknown>, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k))
      fail(`${path}.${k}`, `is not a known field (expected one of: ${allowed.join(', ')})`);
  }
}

export function checkString(v: unknown, path: string, maxLength: number, minLength = 1): string {
  if (typeof v !== 'string') fail(path, `must be a string (got ${describeValue(v)})`);
  if (v.length < minLength)
    fail(path, minLength === 1 ? 'must not be empty' : `must have at least ${minLength} characters`);
  if (v.length > maxLength) fail(path, `is too long (${v.length} characters, at most ${maxLength})`);
  if (/[\u0000-\u001f\u007f]/.test(v)) fail(path, 'must not contain control characters');
  return v;
}

export function checkNumber(v: unknown, path: string, min: number, max: number, integer = false): number {
  return checkNumberIn({ min, max, integer: integer || undefined }, v, path);
}

export function checkInt(v: unknown, path: string, min: number, max: number): number {
  return checkNumber(v, path, min, max, true);
}

export function checkEnum<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) {
    fail(path, `must be one of ${values.join(', ')} (got ${describeValue(v)})`);
  }
  return v as T;
}

export function checkArray(v: unknown, path: string, maxLength: number, minLength = 0): unknown[] {
  if (!Array.isArray(v)) fail(path, `must be an array (got ${describeValue(v)})`);
  if (v.length < minLength) fail(path, `must have at least ${minLength} item${minLength === 1 ? '' : 's'}`);
  if (v.length > maxLength) fail(path, `has too many items (${v.length}, at most ${maxLength})`);
  return v;
}

export function checkBytes(v: unknown, path: string, maxBytes: number = LIMITS.maxFileBytes): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(path, `must be binary data (Uint8Array) (got ${describeValue(v)})`);
  if (v.byteLength > maxBytes)
    fail(path, `is too large (${formatBytes(v.byteLength)}, at most ${formatBytes(maxBytes)})`);
  return v;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Entity ids created by the host: lowercase letters, digits, '-' and '_', no dots or separators. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export function checkId(v: unknown, path: string): string {
  const s = checkString(v, path, LIMITS.maxIdLength);
  if (!ID_PATTERN.test(s))
    fail(path, `is not a valid id (got ${describeValue(s)}): only a-z, 0-9, '-' and '_' are allowed`);
  return s;
}

/**
 * A display name the host may turn into a file name (models, pieces): no path separators, no '..',
 * not only dots or spaces, no characters that are invalid in file names on Windows.
 */
export function checkName(v: unknown, path: string): string {
  const s = checkString(v, path, LIMITS.maxNameLength);
  if (s.trim().length === 0) fail(path, 'must not be blank');
  if (/[/\\]/.test(s)) fail(path, `must not contain path separators ('/' or '\\') (got ${describeValue(s)})`);
  if (s.includes('..')) fail(path, `must not contain '..' (got ${describeValue(s)})`);
  if (/[<>:"|?*]/.test(s)) fail(path, `must not contain any of < > : " | ? * (got ${describeValue(s)})`);
  if (/^[. ]+$/.test(s)) fail(path, 'must not consist only of dots and spaces');
  return s;
}

/**
 * The relative path of an imported file as the user chose it (a file name, or "folder/sub/file.mid"
 * for folder imports). Only ever displayed, never used as a path on disk; still, absolute paths and
 * '..' segments are refused so that no later use can escape a folder.
 */
export function checkRelativePath(v: unknown, path: string): string {
  const s = checkString(v, path, LIMITS.maxPathLength);
  if (s.trim().length === 0) fail(path, 'must not be blank');
  if (/^[/\\]/.test(s) || /^[a-zA-Z]:/.test(s))
    fail(path, `must be a relative name, not an absolute path (got ${describeValue(s)})`);
  const segments = s.split(/[/\\]/);
  if (segments.some((seg) => seg === '..'))
    fail(path, `must not contain '..' segments (got ${describeValue(s)})`);
  if (segments.some((seg) => seg.length === 0))
    fail(path, `has an empty path segment (got ${describeValue(s)})`);
  return s;
}

// ---------------------------------------------------------------------------------------------
// API types

export function checkImportFile(v: unknown, path: string): ImportFile {
  const o = checkObject(v, path);
  checkKeys(o, path, ['name', 'data']);
  return {
    name: checkRelativePath(o.name, `${path}.name`),
    data: checkBytes(o.data, `${path}.data (${String(o.name)})`),
  };
}

export function checkImportOptions(v: unknown, path: string): ImportOptions {
  const o = checkObject(v, path);
  checkKeys(o, path, ['sustain']);
  if (o.sustain !== undefined && typeof o.sustain !== 'boolean')
    fail(`${path}.sustain`, `must be true or false (got ${describeValue(o.sustain)})`);
  return o.sustain === undefined ? {} : { sustain: o.sustain };
}

export function checkTrainingOptions(v: unknown, path: string): TrainingOptions {
  const o = checkObject(v, path);
  checkKeys(o, path, [...Object.keys(TRAINING_OPTIONS), 'resumeModelId']);
  const out: TrainingOptions = {
    ...checkOptions(TRAINING_OPTIONS, o, path),
    name: checkName(o.name, `${path}.name`),
  };
  if (o.resumeModelId !== undefined) out.resumeModelId = checkId(o.resumeModelId, `${path}.resumeModelId`);
  return out;
}

export function checkPrimer(v: unknown, path: string): GenerateOptions['primer'] {
  const p = checkObject(v, path);
  let primer: GenerateOptions['primer'];
  const kind = checkEnum(p.kind, `${path}.kind`, ['none', 'corpus', 'file', 'notes'] as const);
  if (kind === 'none') {
    checkKeys(p, `${path}`, ['kind']);
    primer = { kind: 'none' };
  } else if (kind === 'corpus') {
    checkKeys(p, `${path}`, ['kind', 'fileId', 'bars']);
    primer = {
      kind: 'corpus',
      fileId: checkId(p.fileId, `${path}.fileId`),
      bars: checkOption(PRIMER_OPTIONS.bars, p.bars, `${path}.bars`) as number,
    };
  } else if (kind === 'notes') {
    checkKeys(p, `${path}`, ['kind', 'notes', 'bpm', 'timeSignature', 'bars']);
    const notes = checkArray(p.notes, `${path}.notes`, LIMITS.maxPieceNotes, 1);
    primer = {
      kind: 'notes',
      notes: notes.map((n, i) => checkNote(n, `${path}.notes[${i}]`)),
      bpm: checkNumber(p.bpm, `${path}.bpm`, 20, 400),
      timeSignature: checkTimeSignature(p.timeSignature, `${path}.timeSignature`),
      bars: checkOption(PRIMER_OPTIONS.bars, p.bars, `${path}.bars`) as number,
    };
  } else {
    checkKeys(p, `${path}`, ['kind', 'file', 'bars']);
    primer = {
      kind: 'file',
      file: checkImportFile(p.file, `${path}.file`),
      bars: checkOption(PRIMER_OPTIONS.bars, p.bars, `${path}.bars`) as number,
    };
  }
  return primer;
}

export function checkGenerateOptions(v: unknown, path: string): GenerateOptions {
  const o = checkObject(v, path);
  checkKeys(o, path, ['modelId', 'primer', ...Object.keys(GENERATE_OPTIONS)]);
  const primer = checkPrimer(o.primer, `${path}.primer`);
  return {
    modelId: checkId(o.modelId, `${path}.modelId`),
    primer,
    ...checkOptions(GENERATE_OPTIONS, o, path),
  };
}

function checkNote(v: unknown, path: string): PieceNote {
  const o = checkObject(v, path);
  checkKeys(o, path, ['pitch', 'time', 'duration', 'velocity']);
  const duration = checkNumber(o.duration, `${path}.duration`, 0, 24 * 3600);
  if (duration === 0) fail(`${path}.duration`, 'must be greater than 0');
  return {
    pitch: checkInt(o.pitch, `${path}.pitch`, 0, 127),
    time: checkNumber(o.time, `${path}.time`, 0, 24 * 3600),
    duration,
    velocity: checkNumber(o.velocity, `${path}.velocity`, 0, 1),
  };
}

function checkTimeSignature(v: unknown, path: string): [number, number] {
  const ts = checkArray(v, path, 2, 2);
  const num = checkInt(ts[0], `${path}[0]`, 1, 64);
  const den = checkInt(ts[1], `${path}[1]`, 1, 64);
  if ((den & (den - 1)) !== 0) fail(`${path}[1]`, `must be a power of two (got ${den})`);
  return [num, den];
}

function checkMeters(v: unknown, path: string): NonNullable<GeneratedPiece['meters']> {
  let last = -1;
  return checkArray(v, path, LIMITS.maxPieceNotes).map((m, i) => {
    const o = checkObject(m, `${path}[${i}]`);
    checkKeys(o, `${path}[${i}]`, ['time', 'timeSignature']);
    const time = checkNumber(o.time, `${path}[${i}].time`, 0, 24 * 3600);
    if (time <= last) fail(`${path}[${i}].time`, 'must be later than the one before');
    last = time;
    return { time, timeSignature: checkTimeSignature(o.timeSignature, `${path}[${i}].timeSignature`) };
  });
}

export function checkGeneratedPiece(v: unknown, path: string): GeneratedPiece {
  const o = checkObject(v, path);
  checkKeys(o, path, [
    'id',
    'name',
    'seed',
    'bpm',
    'timeSignature',
    'bars',
    'durationSeconds',
    'notes',
    'primerNotes',
    'meters',
  ]);
  const timeSignature = checkTimeSignature(o.timeSignature, `${path}.timeSignature`);
  const notes = checkArray(o.notes, `${path}.notes`, LIMITS.maxPieceNotes);
  return {
    id: checkId(o.id, `${path}.id`),
    name: checkName(o.name, `${path}.name`),
    seed: checkInt(o.seed, `${path}.seed`, 0, Number.MAX_SAFE_INTEGER), // request seed + variation
    bpm: checkNumber(o.bpm, `${path}.bpm`, 20, 400),
    timeSignature,
    bars: checkInt(o.bars, `${path}.bars`, 0, 100000),
    durationSeconds: checkNumber(o.durationSeconds, `${path}.durationSeconds`, 0, 24 * 3600),
    notes: notes.map((n, i) => checkNote(n, `${path}.notes[${i}]`)),
    primerNotes: checkInt(o.primerNotes, `${path}.primerNotes`, 0, LIMITS.maxPieceNotes),
    ...(o.meters === undefined ? {} : { meters: checkMeters(o.meters, `${path}.meters`) }),
  };
}

/** The session: the generated pieces (ids unique) and the selected one (null, or one of them). */
export function checkSession(v: unknown, path: string): Session {
  const o = checkObject(v, path);
  checkKeys(o, path, ['pieces', 'selectedPieceId']);
  const pieces = checkArray(o.pieces, `${path}.pieces`, LIMITS.maxSessionPieces).map((p, i) =>
    checkGeneratedPiece(p, `${path}.pieces[${i}]`),
  );
  const ids = new Set(pieces.map((p) => p.id));
  if (ids.size !== pieces.length) fail(`${path}.pieces`, 'must not hold two pieces with the same id');
  const sel = o.selectedPieceId === null ? null : checkId(o.selectedPieceId, `${path}.selectedPieceId`);
  if (sel !== null && !ids.has(sel))
    fail(`${path}.selectedPieceId`, `must name one of the pieces (got ${describeValue(sel)})`);
  return { pieces, selectedPieceId: sel };
}

/** Where a project to open comes from (the path of 'recent' is checked against the list by the host). */
export function checkProjectSource(v: unknown, path: string): ProjectSource {
  const o = checkObject(v, path);
  const kind = checkEnum(o.kind, `${path}.kind`, ['dialog', 'recent', 'file'] as const);
  if (kind === 'dialog') {
    checkKeys(o, path, ['kind']);
    return { kind };
  }
  if (kind === 'recent') {
    checkKeys(o, path, ['kind', 'path']);
    return { kind, path: checkString(o.path, `${path}.path`, LIMITS.maxPathLength) };
  }
  checkKeys(o, path, ['kind', 'file']);
  return { kind, file: checkImportFile(o.file, `${path}.file`) };
}

// ---------------------------------------------------------------------------------------------
// Whole calls

/** Sums the binary payloads of a call (Uint8Arrays anywhere in the arguments). */
export function payloadBytes(v: unknown, depth = 0): number {
  if (depth > 8 || v === null || typeof v !== 'object') return 0;
  if (v instanceof Uint8Array) return v.byteLength;
  let total = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) total += payloadBytes(x, depth + 1);
  return total;
}

type ArgCheckers = { [M in ApiMethod]: (args: unknown[]) => unknown[] };

function noArgs(method: string) {
  return (args: unknown[]) => {
    if (args.length !== 0) fail(method, `takes no arguments (got ${args.length})`);
    return [];
  };
}

function oneArg<T>(method: string, check: (v: unknown, path: string) => T, what: string) {
  return (args: unknown[]) => {
    if (args.length !== 1) fail(method, `takes one argument (${what}) (got ${args.length})`);
    return [check(args[0], `${method}: ${what}`)];
  };
}

const CHECKERS: ArgCheckers = {
  info: noArgs('info'),
  corpusList: noArgs('corpusList'),
  corpusBundled: noArgs('corpusBundled'),
  corpusImport: (args: unknown[]) => {
    if (args.length < 1 || args.length > 2)
      fail('corpusImport', `takes the files and optional import options (got ${args.length} arguments)`);
    const files = checkArray(args[0], 'corpusImport: files', LIMITS.maxFilesPerImport, 1).map((f, i) =>
      checkImportFile(f, `corpusImport: files[${i}]`),
    );
    return args[1] === undefined ? [files] : [files, checkImportOptions(args[1], 'corpusImport: options')];
  },
  corpusRemove: oneArg(
    'corpusRemove',
    (v, path) => checkArray(v, path, LIMITS.maxIdsPerCall).map((x, i) => checkId(x, `${path}[${i}]`)),
    'ids',
  ),
  corpusSetTracks: (args) => {
    if (args.length !== 2) fail('corpusSetTracks', `takes two arguments (id, selected) (got ${args.length})`);
    const id = checkId(args[0], 'corpusSetTracks: id');
    const sel = checkArray(args[1], 'corpusSetTracks: selected', LIMITS.maxTracks).map((x, i) =>
      checkInt(x, `corpusSetTracks: selected[${i}]`, 0, LIMITS.maxTracks - 1),
    );
    if (new Set(sel).size !== sel.length) fail('corpusSetTracks: selected', 'must not list a track twice');
    return [id, sel];
  },
  trainStart: oneArg('trainStart', checkTrainingOptions, 'options'),
  trainCancel: noArgs('trainCancel'),
  trainDefaults: noArgs('trainDefaults'),
  modelsList: noArgs('modelsList'),
  modelRename: (args) => {
    if (args.length !== 2) fail('modelRename', `takes two arguments (id, name) (got ${args.length})`);
    return [checkId(args[0], 'modelRename: id'), checkName(args[1], 'modelRename: name')];
  },
  modelDelete: oneArg('modelDelete', checkId, 'id'),
  modelExport: oneArg('modelExport', checkId, 'id'),
  modelImport: oneArg('modelImport', checkImportFile, 'file'),
  modelImportTorch: oneArg(
    'modelImportTorch',
    (v, path) => checkArray(v, path, 8, 1).map((f, i) => checkImportFile(f, `${path}[${i}]`)),
    'files',
  ),
  generate: oneArg('generate', checkGenerateOptions, 'options'),
  primerInfo: oneArg('primerInfo', checkPrimer, 'primer'),
  midiExport: oneArg('midiExport', checkGeneratedPiece, 'piece'),
  startDrag: oneArg('startDrag', checkGeneratedPiece, 'piece'),
  sessionLoad: noArgs('sessionLoad'),
  sessionSave: oneArg('sessionSave', checkSession, 'session'),
  projectSaveAs: (args) => {
    if (args.length !== 2) fail('projectSaveAs', `takes two arguments (session, name) (got ${args.length})`);
    return [checkSession(args[0], 'projectSaveAs: session'), checkName(args[1], 'projectSaveAs: name')];
  },
  projectOpen: oneArg('projectOpen', checkProjectSource, 'source'),
  projectsRecent: noArgs('projectsRecent'),
};

export { API_METHODS };

export function isApiMethod(v: unknown): v is ApiMethod {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(CHECKERS, v);
}

/**
 * Validates one call. Returns the arguments as clean copies (only the fields the contract defines),
 * or throws an InputError naming the method, the argument and the reason.
 */
export function validateCall(method: unknown, args: unknown): { method: ApiMethod; args: unknown[] } {
  if (!isApiMethod(method)) fail('method', `${describeValue(method)} is not an API method`);
  if (!Array.isArray(args)) fail(method, `arguments must be an array (got ${describeValue(args)})`);
  const bytes = payloadBytes(args);
  if (bytes > LIMITS.maxCallBytes)
    fail(
      method,
      `payload is too large (${formatBytes(bytes)}, at most ${formatBytes(LIMITS.maxCallBytes)} per call)`,
    );
  return { method, args: CHECKERS[method](args) };
}
