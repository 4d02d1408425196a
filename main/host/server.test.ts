import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startLocalHost, type LocalHost } from './server.js';
import { OstinatoHost } from '../services/host.js';
import { WireClient } from '../shared/wire.js';
import type { GenerateOptions, TrainingEvent } from '../shared/api.js';
import { makeTinyModel, nottingham, REPO_ROOT, tempDir } from '../services/host.fixture.js';
import { parseMidi } from '../../model/index.js';

const DEFAULT_MODEL = join(REPO_ROOT, 'assets/models/default');

async function setup(t: Parameters<typeof tempDir>[0], opts: { maxMessageBytes?: number } = {}) {
  const root = tempDir(t);
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Ostinato</title>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'secret');
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'link.txt'));
  const host = await OstinatoHost.create({
    userDataDir: join(root, 'user'),
    bundledModelDir: existsSync(join(DEFAULT_MODEL, 'model.json')) ? DEFAULT_MODEL : null,
    host: 'browser',
    version: 'test',
  });
  const server = await startLocalHost({
    api: host,
    rendererDir,
    assetsDir: join(REPO_ROOT, 'assets'),
    ...opts,
  });
  t.after(async () => {
    await server.close();
    await host.dispose();
  });
  return { host, server, root };
}

function get(server: LocalHost, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method,
        headers: { host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with the client, or with how the host refused. */
function connect(
  server: LocalHost,
  opts: { token?: string | null; origin?: string | null; host?: string } = {},
) {
  const token = opts.token === undefined ? server.token : opts.token;
  const url = `ws://127.0.0.1:${server.port}/api${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
  const headers: Record<string, string> = {};
  if (opts.host) headers.host = opts.host;
  const origin = opts.origin === undefined ? `http://127.0.0.1:${server.port}` : opts.origin;
  const ws = new WebSocket(url, { headers, ...(origin === null ? {} : { origin }) });
  return new Promise<
    | { kind: 'open'; ws: WebSocket; client: WireClient; closed: Promise<{ code: number; reason: string }> }
    | { kind: 'refused'; status?: number; code?: number; reason?: string }
  >((resolve) => {
    const client = new WireClient({ send: (text) => ws.send(text) });
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on('close', (code, reason) => r({ code, reason: reason.toString() })),
    );
    ws.on('message', (data) => client.receive(data.toString()));
    ws.on('unexpected-response', (_req, res) => resolve({ kind: 'refused', status: res.statusCode }));
    ws.on('error', () => undefined);
    ws.on('open', () => {
      // A refused token closes right after the handshake: wait a moment to tell the cases apart.
      const timer = setTimeout(() => resolve({ kind: 'open', ws, client, closed }), 400);
      closed.then(({ code, reason }) => {
        clearTimeout(timer);
        client.close(reason);
        resolve({ kind: 'refused', code, reason });
      });
    });
  });
}

test('HTTP: 127.0.0.1 only, Host header checked, strict CSP, no path traversal, GET only', async (t) => {
  const { server } = await setup(t);
  assert.match(server.url, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  const page = await get(server, '/');
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>Ostinato<\/title>/);
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-eval/);
  assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${server.port}`));
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal((await get(server, '/app.js')).headers['content-type'], 'text/javascript; charset=utf-8');
  const sample = await get(server, '/assets/samples/salamander/A4.mp3');
  assert.equal(sample.status, 200);
  assert.equal(sample.headers['content-type'], 'audio/mpeg');
  assert.equal((await get(server, '/', { host: 'localhost:' + server.port })).status, 200);
  assert.equal(
    (await get(server, '/', { host: 'evil.example:' + server.port })).status,
    403,
    'DNS rebinding: foreign Host refused',
  );
  assert.equal((await get(server, '/', { host: '127.0.0.1:1' })).status, 403);
  for (const p of [
    '/../package.json',
    '/%2e%2e/package.json',
    '/assets/../package.json',
    '/assets/models/default/model.json',
    '/assets/samples/%2e%2e/%2e%2e/package.json',
    '/.git/config',
    '/a%00b',
    '/link.txt',
  ]) {
    assert.equal((await get(server, p)).status, 404, p);
  }
  assert.equal((await get(server, '/', {}, 'POST')).status, 405);
  assert.equal((await get(server, '/missing.js')).status, 404);
});

test('WebSocket: token missing or wrong, foreign Origin or Host, other paths: refused', async (t) => {
  const { server } = await setup(t);
  const port = server.port;
  assert.deepEqual(await connect(server, { token: null }), {
    kind: 'refused',
    code: 4001,
    reason: 'invalid or missing token',
  });
  assert.deepEqual(await connect(server, { token: 'x'.repeat(43) }), {
    kind: 'refused',
    code: 4001,
    reason: 'invalid or missing token',
  });
  assert.deepEqual(await connect(server, { token: server.token + 'x' }), {
    kind: 'refused',
    code: 4001,
    reason: 'invalid or missing token',
  });
  assert.deepEqual(await connect(server, { origin: 'https://evil.example' }), {
    kind: 'refused',
    status: 403,
  });
  assert.deepEqual(await connect(server, { origin: `http://127.0.0.1:${port + 1}` }), {
    kind: 'refused',
    status: 403,
  });
  assert.deepEqual(await connect(server, { origin: 'null' }), { kind: 'refused', status: 403 });
  assert.deepEqual(await connect(server, { origin: null }), { kind: 'refused', status: 403 });
  assert.deepEqual(
    await connect(server, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }),
    { kind: 'refused', status: 403 },
  );
  const ok = await connect(server, { origin: `http://localhost:${port}`, host: `localhost:${port}` });
  assert.equal(ok.kind, 'open');
  if (ok.kind === 'open') ok.ws.close();
});

test('WebSocket: bad arguments and malformed messages get clear errors; oversized messages close the socket', async (t) => {
  const { server } = await setup(t, { maxMessageBytes: 64 * 1024 });
  const c = await connect(server);
  assert.equal(c.kind, 'open');
  if (c.kind !== 'open') return;
  const api = c.client.api;
  await assert.rejects(api.modelDelete('../../etc'), /modelDelete: id is not a valid id/);
  await assert.rejects(api.corpusSetTracks('c-1', [1.5]), /selected\[0\] must be a whole number/);
  await assert.rejects(c.client.call('evalJs' as never, []), /"evalJs" is not an API method/);
  await assert.rejects(
    api.modelDelete('m-0123456789abcdef'),
    /There is no model with id "m-0123456789abcdef"/,
  );
  await assert.rejects(
    api.modelDelete('default'),
    /bundled default model cannot be deleted|There is no model with id "default"/,
  );
  const reply = new Promise<string>((r) => c.ws.once('message', (d) => r(d.toString())));
  c.ws.send('{"id": "nope"');
  const msg = JSON.parse(await reply);
  assert.equal(msg.id, -1);
  assert.match(msg.error.message, /^Malformed request: .*JSON/);
  const pending = api.corpusImport([{ name: 'big.mid', data: new Uint8Array(100 * 1024) }]);
  assert.equal((await c.closed).code, 1009, 'message too big');
  await assert.rejects(pending, /Connection to the Ostinato host lost/);
});

test('round trip over the WebSocket: import (with a bad file), list, tracks, train events, generate, export MIDI', async (t) => {
  const { server, host } = await setup(t);
  await makeTinyModel(join(host.models.dir, 'm-0000000000000001'), 'Tiny reels');
  const c = await connect(server);
  assert.equal(c.kind, 'open');
  if (c.kind !== 'open') return;
  const api = c.client.api;
  assert.deepEqual(await api.info(), {
    version: 'test',
    host: 'browser',
    backend: 'wasm',
    userDataDir: host.settings.path.replace(/\/settings\.json$/, ''),
  });
  const res = await api.corpusImport([
    nottingham('ashover1.mid'),
    { name: 'bad.mid', data: new Uint8Array([1, 2, 3]) },
    nottingham('ashover2.mid'),
  ]);
  assert.deepEqual(
    res.imported.map((f) => f.name),
    ['ashover1.mid', 'ashover2.mid'],
  );
  assert.equal(res.skipped[0].name, 'bad.mid');
  assert.match(res.skipped[0].reason, /MIDI|MThd|short|truncated/i);
  const list = await api.corpusList();
  assert.deepEqual(
    list.map((f) => f.id),
    res.imported.map((f) => f.id),
  );
  const f = await api.corpusSetTracks(list[0].id, [list[0].tracks[0].index]);
  assert.equal(f.tracks.filter((x) => x.selected).length, 1);

  const models = await api.modelsList();
  const tiny = models.find((m) => m.id === 'm-0000000000000001')!;
  assert.equal(tiny.name, 'Tiny reels');
  const opts: GenerateOptions = {
    modelId: tiny.id,
    primer: { kind: 'corpus', fileId: list[1].id, bars: 2 },
    bars: 4,
    temperature: 1,
    topK: 0,
    topP: 0.95,
    seed: 7,
    tempo: 110,
    key: 'G',
    scale: 'major',
    variations: 2,
  };
  const pieces = await api.generate(opts);
  assert.equal(pieces.length, 2);
  assert.deepEqual(
    pieces.map((p) => p.seed),
    [7, 8],
  );
  for (const p of pieces) {
    assert.equal(p.bpm, 110);
    assert.equal(p.bars, 6);
    assert.ok(p.notes.length > p.primerNotes && p.primerNotes > 0);
    assert.ok(
      p.notes.every(
        (n) =>
          n.time >= 0 && n.time < p.durationSeconds && n.duration > 0 && n.velocity > 0 && n.velocity <= 1,
      ),
    );
  }
  const again = await api.generate(opts);
  assert.deepEqual(
    again.map((p) => p.notes),
    pieces.map((p) => p.notes),
    'same seed, same notes',
  );
  const midi = await api.midiExport(pieces[0]);
  assert.equal(midi.name, `${pieces[0].name}.mid`);
  const back = parseMidi(midi.data, midi.name);
  assert.equal(
    back.tracks.reduce((a, x) => a + x.notes.length, 0),
    pieces[0].notes.length,
  );
  assert.equal(await api.startDrag(pieces[0]), false, 'the browser host has no native drag');
  await assert.rejects(
    api.generate({ ...opts, primer: { kind: 'corpus', fileId: 'c-0000000000000000', bars: 1 } }),
    /no corpus file with id/,
  );
  await assert.rejects(
    api.generate({ ...opts, modelId: 'm-ffffffffffffffff' }),
    /no model with id "m-ffffffffffffffff"/,
  );

  // Training events reach the browser.
  const events: TrainingEvent[] = [];
  const done = new Promise<void>((r) =>
    api.onTraining((e) => (events.push(e), (e.type === 'done' || e.type === 'error') && r())),
  );
  const { modelId } = await api.trainStart({
    ...(await api.trainDefaults()),
    name: 'Over the wire',
    epochs: 1,
    hiddenSize: 8,
    embeddingDim: 4,
    numLayers: 1,
    seqLen: 16,
    batchSize: 8,
    transpose: 0,
  });
  await done;
  assert.deepEqual(events.at(-1), { type: 'done', modelId, reason: 'completed' });
  assert.ok(events.some((e) => e.type === 'started') && events.some((e) => e.type === 'epoch'));
  await host.training.whenIdle();

  // Model bundles round-trip through the wire as binary.
  const bundle = await api.modelExport(modelId);
  assert.ok(bundle.data instanceof Uint8Array && bundle.data.length > 100);
  const imported = await api.modelImport({ name: bundle.name, data: bundle.data });
  assert.equal(imported.name, 'Over the wire');
  await api.modelDelete(imported.id);
  await api.corpusRemove([list[0].id]);
  assert.equal((await api.corpusList()).length, 1);
  c.ws.close();
});

test('real limits over the wire: a file over 50 MB gets a clear error; a busy port is reported clearly', async (t) => {
  const { server, host } = await setup(t);
  const c = await connect(server);
  if (c.kind !== 'open') throw new Error('no connection');
  const big = new Uint8Array(50 * 1024 * 1024 + 1);
  await assert.rejects(
    c.client.api.corpusImport([{ name: 'huge.mid', data: big }]),
    /corpusImport: files\[0\]\.data \(huge\.mid\) is too large \(50\.0 MB, at most 50\.0 MB\)/,
  );
  assert.deepEqual(await c.client.api.corpusList(), [], 'the socket is still usable');
  c.ws.close();
  const root = tempDir(t);
  await assert.rejects(
    startLocalHost({ api: host, rendererDir: root, assetsDir: root, port: server.port }),
    new RegExp(`Port ${server.port} on 127\\.0\\.0\\.1 is already in use: choose another with --port`),
  );
});

test('the bundled default model generates (when it has been built)', async (t) => {
  if (!existsSync(join(DEFAULT_MODEL, 'model.json'))) {
    t.skip('assets/models/default is not built yet (npm run default-model)');
    return;
  }
  const { server } = await setup(t);
  const c = await connect(server);
  if (c.kind !== 'open') throw new Error('no connection');
  const models = await c.client.api.modelsList();
  assert.equal(models[0].id, 'default');
  assert.equal(models[0].bundled, true);
  const [p] = await c.client.api.generate({
    modelId: 'default',
    primer: { kind: 'none' },
    bars: 4,
    temperature: 0.9,
    topK: 0,
    topP: 1,
    seed: 1,
    tempo: 90,
    key: 'C',
    scale: 'none',
    variations: 1,
  });
  assert.ok(p.notes.length > 4);
  c.ws.close();
});
