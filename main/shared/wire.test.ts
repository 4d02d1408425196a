import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  base64ToBytes,
  bytesToBase64,
  decodeWire,
  encodeWire,
  MAX_WIRE_MESSAGE_BYTES,
  parseRequest,
  parseServerMessage,
  WireClient,
} from './wire.js';

test('base64 matches Node for every length 0..70 and random data', () => {
  for (let n = 0; n <= 70; n++) {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (i * 73 + n * 31) & 255;
    const s = bytesToBase64(b);
    assert.equal(s, Buffer.from(b).toString('base64'));
    assert.deepEqual(base64ToBytes(s), b);
  }
  const big = new Uint8Array(300001);
  for (let i = 0; i < big.length; i++) big[i] = Math.floor(Math.random() * 256);
  const s = bytesToBase64(big);
  assert.equal(s, Buffer.from(big).toString('base64'));
  assert.deepEqual(base64ToBytes(s), big);
});

test('base64 decoding rejects bad input', () => {
  assert.throws(() => base64ToBytes('abc'), /multiple of 4/);
  assert.throws(() => base64ToBytes('ab$='), /unexpected character at position 2/);
  assert.throws(() => base64ToBytes('é==='), /unexpected character/);
});

test('encodeWire/decodeWire round-trip Uint8Array at any depth', () => {
  const v = {
    id: 3,
    method: 'corpusImport',
    args: [[{ name: 'a.mid', data: new Uint8Array([77, 84, 104, 100]) }]],
    n: null,
    s: 'x',
  };
  const text = encodeWire(v);
  assert.match(text, /"\$bytes":"TVRoZA=="/);
  assert.deepEqual(decodeWire(text), v);
  assert.ok((decodeWire(text) as typeof v).args[0] instanceof Array);
});

test('decodeWire rejects a non-string $bytes and malformed JSON', () => {
  assert.throws(() => decodeWire('{"$bytes": 5}'), /must be a base64 string/);
  assert.throws(() => decodeWire('{"id":'), SyntaxError);
});

test('parseRequest checks the envelope', () => {
  assert.deepEqual(parseRequest('{"id":1,"method":"info","args":[]}'), { id: 1, method: 'info', args: [] });
  assert.throws(() => parseRequest('[1]'), /expected an object/);
  assert.throws(() => parseRequest('{"id":"1","method":"info","args":[]}'), /"id" must be/);
  assert.throws(() => parseRequest('not json'), /Malformed request/);
});

test('parseServerMessage distinguishes responses and events', () => {
  assert.deepEqual(parseServerMessage('{"event":"menu","payload":"about"}'), {
    event: 'menu',
    payload: 'about',
  });
  assert.deepEqual(parseServerMessage('{"id":2,"result":null}'), { id: 2, result: null });
  assert.throws(() => parseServerMessage('{"foo":1}'), /neither a response nor an event/);
});

test('WireClient matches responses to calls, dispatches events, rejects on close', async () => {
  const sent: string[] = [];
  const client = new WireClient({ send: (t) => sent.push(t) });
  const events: unknown[] = [];
  const off = client.api.onTraining((e) => events.push(e));
  const p1 = client.api.modelsList();
  const p2 = client.api.modelExport('abc');
  assert.equal(sent.length, 2);
  const r1 = JSON.parse(sent[0]);
  const r2 = JSON.parse(sent[1]);
  assert.equal(r1.method, 'modelsList');
  assert.deepEqual(r2.args, ['abc']);
  client.receive(encodeWire({ id: r2.id, result: { name: 'x.ostinato', data: new Uint8Array([1, 2]) } }));
  client.receive(encodeWire({ id: r1.id, error: { message: 'boom' } }));
  assert.deepEqual(await p2, { name: 'x.ostinato', data: new Uint8Array([1, 2]) });
  await assert.rejects(p1, /boom/);
  client.receive(encodeWire({ event: 'training', payload: { type: 'error', message: 'm' } }));
  off();
  client.receive(encodeWire({ event: 'training', payload: { type: 'error', message: 'n' } }));
  assert.deepEqual(events, [{ type: 'error', message: 'm' }]);
  const menus: unknown[] = [];
  const notices: unknown[] = [];
  client.api.onMenu((c) => menus.push(c));
  client.api.onNotice!((n) => notices.push(n));
  client.receive(encodeWire({ event: 'menu', payload: 'about' }));
  client.receive(encodeWire({ event: 'notice', payload: { kind: 'error', message: 'x' } }));
  assert.deepEqual(menus, ['about']);
  assert.deepEqual(notices, [{ kind: 'error', message: 'x' }]);
  const p3 = client.api.info();
  client.close('socket closed');
  await assert.rejects(p3, /Connection to the Ostinato host lost: socket closed/);
  await assert.rejects(client.api.info(), /Not connected/);
});

test('WireClient refuses a request over the message limit with a readable error, sending nothing', async () => {
  const sent: string[] = [];
  const client = new WireClient({ send: (t) => sent.push(t) }, 4096);
  const big = new Uint8Array(4000); // ~5.3 kB as base64: over the 4 kB limit
  await assert.rejects(
    client.api.corpusImport([{ name: 'a.mid', data: big }]),
    /corpusImport: the request is too large to send .*Send fewer or smaller files/,
  );
  assert.equal(sent.length, 0);
  // Multi-byte text counts in UTF-8 bytes: 1500 'é' are 1500 UTF-16 units but 3000 bytes.
  const under = client.api.modelRename('id', 'é'.repeat(1000));
  assert.equal(sent.length, 1);
  await assert.rejects(client.api.modelRename('id', 'é'.repeat(2100)), /too large to send/);
  assert.equal(sent.length, 1);
  client.receive(encodeWire({ id: JSON.parse(sent[0]).id, result: null }));
  await under;
  // The default limit is the host's: a 200 MB call plus the base64 overhead.
  assert.equal(MAX_WIRE_MESSAGE_BYTES, Math.ceil((200 * 1024 * 1024 * 4) / 3) + 1024 * 1024);
});
