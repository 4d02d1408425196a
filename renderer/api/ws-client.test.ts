import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWire, encodeWire } from '../../main/shared/wire.js';
import { apiUrlFromLocation, connectSocket, type SocketFactory } from './ws-client.js';

class FakeSocket {
  static all: FakeSocket[] = [];
  sent: string[] = [];
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(text);
  }
  close() {
    this.onclose?.({ code: 1000 } as CloseEvent);
  }
  open() {
    this.onopen?.({} as Event);
  }
  reply(obj: unknown) {
    this.onmessage?.({ data: encodeWire(obj) } as MessageEvent);
  }
  drop(code = 1006) {
    this.onclose?.({ code } as CloseEvent);
  }
}
const Fake = FakeSocket as unknown as SocketFactory;
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

test('the socket URL carries the page token', () => {
  const url = apiUrlFromLocation({
    protocol: 'http:',
    host: '127.0.0.1:4242',
    search: '?token=a+b/c',
  } as Location);
  assert.equal(url, 'ws://127.0.0.1:4242/api?token=a%20b%2Fc');
});

test('calls wait for the connection, then resolve; bytes survive the trip', async () => {
  FakeSocket.all = [];
  const client = connectSocket('ws://x/api?token=t', 1000, Fake);
  const states: string[] = [];
  client.onState((s) => states.push(s));
  const pending = client.api.midiExport({} as never);
  await tick();
  const ws = FakeSocket.all[0]!;
  assert.equal(ws.sent.length, 0); // not open yet
  ws.open();
  await tick();
  assert.equal(ws.sent.length, 1);
  const req = decodeWire(ws.sent[0]!) as { id: number; method: string };
  assert.equal(req.method, 'midiExport');
  ws.reply({ id: req.id, result: { name: 'a.mid', data: new Uint8Array([1, 2, 3]) } });
  const res = await pending;
  assert.deepEqual([...res.data], [1, 2, 3]);
  assert.deepEqual(states, ['connected']);
  client.close();
});

test('host errors become rejections with the host message; events reach listeners', async () => {
  FakeSocket.all = [];
  const client = connectSocket('ws://x/api', 1000, Fake);
  const ws = FakeSocket.all[0]!;
  ws.open();
  const events: string[] = [];
  client.api.onTraining((e) => events.push(e.type));
  const p = client.api.modelDelete('nope');
  await tick();
  const req = decodeWire(ws.sent[0]!) as { id: number };
  ws.reply({ id: req.id, error: { message: 'No model "nope"' } });
  await assert.rejects(p, /No model "nope"/);
  ws.reply({ event: 'training', payload: { type: 'error', message: 'x' } });
  assert.deepEqual(events, ['error']);
  const notices: string[] = [];
  client.api.onNotice?.((n) => notices.push(n.kind));
  ws.reply({ event: 'notice', payload: { kind: 'error', message: 'y' } });
  assert.deepEqual(notices, ['error']);
  client.close();
});

test('when the host goes away: pending calls fail readably, state says so, it reconnects', async () => {
  FakeSocket.all = [];
  const client = connectSocket('ws://x/api', 200, Fake);
  const states: string[] = [];
  client.onState((s) => states.push(s));
  const ws = FakeSocket.all[0]!;
  ws.open();
  const events: string[] = [];
  client.api.onTraining((e) => events.push(e.type));
  const p = client.api.info();
  await tick();
  ws.drop();
  await assert.rejects(p, /Connection to the Ostinato host lost/);
  assert.equal(client.state(), 'disconnected');
  // calls while down fail after the wait with a readable message
  await assert.rejects(client.api.corpusList(), /Cannot reach the Ostinato host/);
  // the client retries on its own; the listeners carry over to the new connection
  await tick(700);
  assert.ok(FakeSocket.all.length >= 2);
  const ws2 = FakeSocket.all.at(-1)!;
  ws2.open();
  assert.equal(client.state(), 'connected');
  ws2.reply({ event: 'training', payload: { type: 'error', message: 'x' } });
  assert.deepEqual(events, ['error']);
  assert.deepEqual(states.slice(0, 2), ['connected', 'disconnected']);
  client.close();
});

test('a refused token is explained', async () => {
  FakeSocket.all = [];
  const client = connectSocket('ws://x/api', 200, Fake);
  const details: string[] = [];
  client.onState((_s, d) => details.push(d));
  FakeSocket.all[0]!.drop(4001);
  assert.match(details.join('\n'), /wrong or missing token/);
  client.close();
});
