import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkGenerateOptions,
  checkName,
  checkRelativePath,
  LIMITS,
  validateCall,
  InputError,
} from './validate.js';
import type { GeneratedPiece, GenerateOptions, TrainingOptions } from './api.js';

const training: TrainingOptions = {
  name: 'My model',
  epochs: 5,
  maxSeconds: 0,
  hiddenSize: 128,
  numLayers: 2,
  embeddingDim: 32,
  dropout: 0.2,
  seqLen: 64,
  batchSize: 32,
  learningRate: 0.002,
  transpose: 3,
  grid: '16th',
};
const gen: GenerateOptions = {
  modelId: 'default',
  primer: { kind: 'none' },
  bars: 8,
  temperature: 1,
  topK: 0,
  topP: 1,
  seed: 42,
  tempo: 100,
  key: 'C',
  scale: 'none',
  variations: 2,
};
const piece: GeneratedPiece = {
  id: 'p-1',
  name: 'Piece 1',
  seed: 1,
  bpm: 120,
  timeSignature: [4, 4],
  bars: 1,
  durationSeconds: 2,
  notes: [{ pitch: 60, time: 0, duration: 0.5, velocity: 0.8 }],
  primerNotes: 0,
};

function rejects(method: unknown, args: unknown, re: RegExp) {
  assert.throws(
    () => validateCall(method, args),
    (err: unknown) => {
      assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
      assert.match((err as Error).message, re);
      return true;
    },
  );
}

test('valid calls pass and come back as clean copies', () => {
  assert.deepEqual(validateCall('info', []), { method: 'info', args: [] });
  assert.deepEqual(validateCall('trainStart', [training]).args, [training]);
  assert.deepEqual(validateCall('trainStart', [{ ...training, resumeModelId: 'm-123' }]).args[0], {
    ...training,
    resumeModelId: 'm-123',
  });
  assert.deepEqual(validateCall('generate', [gen]).args, [gen]);
  const withFile = {
    ...gen,
    primer: { kind: 'file', file: { name: 'folder/a.mid', data: new Uint8Array(10) }, bars: 2 },
  };
  assert.deepEqual(validateCall('generate', [withFile]).args, [withFile]);
  assert.deepEqual(validateCall('midiExport', [piece]).args, [piece]);
  assert.deepEqual(validateCall('corpusSetTracks', ['abc', [0, 2]]).args, ['abc', [0, 2]]);
  assert.deepEqual(validateCall('modelRename', ['abc', 'Bach 2']).args, ['abc', 'Bach 2']);
  assert.deepEqual(
    validateCall('corpusImport', [[{ name: 'My Songs/reel.mid', data: new Uint8Array(3) }]]).args[0],
    [{ name: 'My Songs/reel.mid', data: new Uint8Array(3) }],
  );
});

test('unknown methods and malformed argument lists are refused', () => {
  rejects('evalCode', [], /"evalCode" is not an API method/);
  rejects('__proto__', [], /not an API method/);
  rejects('toString', [], /not an API method/);
  rejects(42, [], /42 is not an API method/);
  rejects('info', 'x', /arguments must be an array/);
  rejects('info', [1], /info takes no arguments \(got 1\)/);
  rejects('modelDelete', [], /takes one argument \(id\) \(got 0\)/);
  rejects('modelRename', ['a'], /takes two arguments/);
});

test('wrong types, missing fields and out-of-range numbers are refused with the path', () => {
  rejects(
    'trainStart',
    [{ ...training, epochs: '5' }],
    /trainStart: options\.epochs must be a number \(got "5"\)/,
  );
  rejects('trainStart', [{ ...training, epochs: 2.5 }], /epochs must be a whole number/);
  rejects('trainStart', [{ ...training, epochs: 0 }], /epochs must be between 1 and/);
  rejects('trainStart', [{ ...training, dropout: NaN }], /dropout must be a number/);
  rejects('trainStart', [{ ...training, learningRate: Infinity }], /learningRate must be a finite number/);
  rejects('trainStart', [{ ...training, numLayers: 4 }], /numLayers must be between 1 and 3/);
  rejects('trainStart', [{ ...training, grid: '64th' }], /grid must be one of 8th, 16th/);
  const { hiddenSize: _h, ...missing } = training;
  rejects('trainStart', [missing], /hiddenSize must be a number \(got undefined\)/);
  rejects('trainStart', [{ ...training, extra: 1 }], /options\.extra is not a known field/);
  rejects('trainStart', [null], /options must be an object \(got null\)/);
  rejects('generate', [{ ...gen, temperature: -0.5 }], /temperature must be between 0 and 2 \(got -0.5\)/);
  rejects('generate', [{ ...gen, topP: 1.5 }], /topP must be greater than 0 and at most 1 \(got 1.5\)/);
  rejects('generate', [{ ...gen, key: 'H' }], /key must be one of/);
  rejects('generate', [{ ...gen, variations: 100 }], /variations must be between 1 and 16/);
  rejects('generate', [{ ...gen, primer: { kind: 'corpus', fileId: 'x' } }], /primer\.bars must be a number/);
  rejects(
    'generate',
    [{ ...gen, primer: { kind: 'url' } }],
    /primer\.kind must be one of none, corpus, file, notes/,
  );
  const notesPrimer = {
    kind: 'notes',
    notes: [{ pitch: 60, time: 0, duration: 0.5, velocity: 0.8 }],
    bpm: 120,
    timeSignature: [4, 4],
    bars: 1,
  };
  assert.deepEqual(checkGenerateOptions({ ...gen, primer: notesPrimer }, 'options').primer, notesPrimer);
  rejects(
    'generate',
    [{ ...gen, primer: { ...notesPrimer, notes: [] } }],
    /primer\.notes must have at least 1 item/,
  );
  rejects(
    'generate',
    [{ ...gen, primer: { ...notesPrimer, notes: 'C4' } }],
    /primer\.notes must be an array/,
  );
  rejects(
    'generate',
    [{ ...gen, primer: { ...notesPrimer, notes: [{ pitch: '60', time: 0, duration: 1, velocity: 1 }] } }],
    /primer\.notes\[0\]\.pitch must be a number/,
  );
  rejects(
    'generate',
    [{ ...gen, primer: { ...notesPrimer, bpm: 1000 } }],
    /primer\.bpm must be between 20 and 400/,
  );
  rejects('generate', [{ ...gen, primer: { ...notesPrimer, timeSignature: [4, 3] } }], /power of two/);
  rejects('generate', [{ ...gen, primer: { ...notesPrimer, bars: 0 } }], /primer\.bars must be between/);
  rejects('generate', [{ ...gen, primer: { ...notesPrimer, file: 1 } }], /primer\.file is not a known field/);
  rejects(
    'midiExport',
    [{ ...piece, notes: [{ pitch: 128, time: 0, duration: 1, velocity: 1 }] }],
    /notes\[0\]\.pitch must be between 0 and 127/,
  );
  rejects(
    'midiExport',
    [{ ...piece, notes: [{ pitch: 60, time: 0, duration: 0, velocity: 1 }] }],
    /notes\[0\]\.duration must be greater than 0/,
  );
  rejects('midiExport', [{ ...piece, timeSignature: [4, 3] }], /timeSignature\[1\] must be a power of two/);
  rejects('corpusSetTracks', ['abc', [1, 1]], /must not list a track twice/);
  rejects('corpusSetTracks', ['abc', [-1]], /selected\[0\] must be between 0/);
  rejects('corpusImport', [[]], /must have at least 1 item/);
  rejects('corpusImport', [[{ name: 'a.mid', data: [1, 2, 3] }]], /data \(a\.mid\) must be binary data/);
  const one = [{ name: 'a.mid', data: new Uint8Array(3) }];
  assert.deepEqual(validateCall('corpusImport', [one, { sustain: false }]).args[1], { sustain: false });
  assert.equal(validateCall('corpusImport', [one]).args.length, 1);
  rejects('corpusImport', [one, { sustain: 'no' }], /options\.sustain must be true or false/);
  rejects('corpusImport', [one, { pedal: true }], /options\.pedal is not a known field/);
  rejects('corpusImport', [one, {}, 3], /takes the files and optional import options \(got 3/);
});

test('ids, names and paths: no separators, no "..", no control characters, length limits', () => {
  rejects('modelDelete', ['../etc'], /id is not a valid id/);
  rejects('modelDelete', ['a/b'], /not a valid id/);
  rejects('modelDelete', ['ABC'], /not a valid id/);
  rejects('modelDelete', [''], /id must not be empty/);
  rejects('modelDelete', ['a'.repeat(65)], /too long \(65 characters, at most 64\)/);
  rejects('modelRename', ['abc', 'a/b'], /must not contain path separators/);
  rejects('modelRename', ['abc', 'a\\b'], /must not contain path separators/);
  rejects('modelRename', ['abc', '..'], /must not contain '\.\.'/);
  rejects('modelRename', ['abc', '   '], /must not be blank/);
  rejects('modelRename', ['abc', 'x\u0000y'], /control characters/);
  rejects('modelRename', ['abc', 'x'.repeat(LIMITS.maxNameLength + 1)], /too long/);
  rejects('modelRename', ['abc', 'a:b'], /must not contain any of/);
  assert.equal(checkName('Bach – chorales (2)', 'n'), 'Bach – chorales (2)');
  assert.equal(checkRelativePath('folder/sub/a.mid', 'p'), 'folder/sub/a.mid');
  assert.throws(() => checkRelativePath('/etc/passwd', 'p'), /must be a relative name/);
  assert.throws(() => checkRelativePath('C:\\x.mid', 'p'), /must be a relative name/);
  assert.throws(() => checkRelativePath('a/../../b.mid', 'p'), /'\.\.' segments/);
  assert.throws(() => checkRelativePath('a//b.mid', 'p'), /empty path segment/);
});

test('payload size limits: per file and per call', () => {
  const big = new Uint8Array(LIMITS.maxFileBytes + 1);
  rejects('modelImport', [{ name: 'm.ostinato', data: big }], /is too large \(50\.0 MB, at most 50\.0 MB\)/);
  const f = new Uint8Array(45 * 1024 * 1024);
  const files = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.mid`, data: f }));
  rejects('corpusImport', [files], /payload is too large \(225\.0 MB, at most 200\.0 MB per call\)/);
  assert.equal((validateCall('corpusImport', [files.slice(0, 4)]).args[0] as unknown[]).length, 4);
});

test('modelImportTorch: a list of 1 to 8 files, each a checked ImportFile', () => {
  const f = { name: 'result/result.json', data: new Uint8Array(3) };
  const call = validateCall('modelImportTorch', [[f, { ...f, name: 'result/weights.bin' }]]);
  assert.deepEqual(call.args, [[f, { ...f, name: 'result/weights.bin' }]]);
  rejects('modelImportTorch', [[]], /modelImportTorch: files must have at least 1 item/);
  rejects('modelImportTorch', [Array(9).fill(f)], /has too many items \(9, at most 8\)/);
  rejects(
    'modelImportTorch',
    [[{ ...f, name: '../result.json' }]],
    /files\[0\]\.name must not contain '\.\.'/,
  );
  rejects('modelImportTorch', [[{ ...f, data: 'x' }]], /files\[0\]\.data .* must be binary data/);
  rejects('modelImportTorch', [f], /files must be an array/);
});

test('session and project calls: sessions, names and sources are checked strictly', () => {
  const session = { pieces: [piece], selectedPieceId: 'p-1' };
  assert.deepEqual(validateCall('sessionSave', [session]).args, [session]);
  assert.deepEqual(validateCall('sessionSave', [{ pieces: [], selectedPieceId: null }]).args[0], {
    pieces: [],
    selectedPieceId: null,
  });
  assert.deepEqual(validateCall('projectSaveAs', [session, 'Reel']).args, [session, 'Reel']);
  assert.deepEqual(validateCall('sessionLoad', []).args, []);
  assert.deepEqual(validateCall('projectsRecent', []).args, []);
  rejects('sessionLoad', [1], /takes no arguments|no arguments/);
  rejects('sessionSave', ['x'], /sessionSave: session must be an object \(got "x"\)/);
  rejects('sessionSave', [{ pieces: 'x', selectedPieceId: null }], /session\.pieces must be an array/);
  rejects('sessionSave', [{ ...session, extra: 1 }], /session\.extra is not a known field/);
  rejects(
    'sessionSave',
    [{ pieces: [{ ...piece, notes: [{ pitch: 'C' }] }], selectedPieceId: null }],
    /session\.pieces\[0\]\.notes\[0\]/,
  );
  rejects('sessionSave', [{ pieces: [piece, piece], selectedPieceId: null }], /two pieces with the same id/);
  rejects('sessionSave', [{ pieces: [piece], selectedPieceId: 'p-2' }], /must name one of the pieces/);
  rejects('sessionSave', [{ pieces: [piece], selectedPieceId: 7 }], /selectedPieceId must be a string/);
  rejects('projectSaveAs', [session], /takes two arguments/);
  rejects('projectSaveAs', [session, '../x'], /projectSaveAs: name must not contain path separators/);
  assert.deepEqual(validateCall('projectOpen', [{ kind: 'dialog' }]).args, [{ kind: 'dialog' }]);
  assert.deepEqual(validateCall('projectOpen', [{ kind: 'recent', path: '/a/b.json' }]).args, [
    { kind: 'recent', path: '/a/b.json' },
  ]);
  const file = { name: 'a.ostinato.json', data: new Uint8Array(2) };
  assert.deepEqual(validateCall('projectOpen', [{ kind: 'file', file }]).args, [{ kind: 'file', file }]);
  rejects('projectOpen', [{ kind: 'disk' }], /source\.kind must be one of dialog, recent, file/);
  rejects('projectOpen', [{ kind: 'recent', path: 3 }], /source\.path must be a string/);
  rejects('projectOpen', [{ kind: 'file', file: { name: 'a', data: 'x' } }], /source\.file\.data/);
  rejects('projectOpen', [{ kind: 'dialog', path: '/x' }], /source\.path is not a known field/);
});
