import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultUserDataDir, parseArgs } from './run.js';
import { REPO_ROOT, tempDir } from '../services/host.fixture.js';

test('serve options: --port, --user-data, --open, OSTINATO_PORT; bad values refused clearly', () => {
  assert.deepEqual(parseArgs(['--port', '8123', '--user-data', '/tmp/x', '--open'], {}), {
    port: 8123,
    userDataDir: '/tmp/x',
    open: true,
  });
  assert.deepEqual(parseArgs(['--port=0'], {}), { port: 0, userDataDir: defaultUserDataDir(), open: false });
  assert.equal(parseArgs([], { OSTINATO_PORT: '9000' }).port, 9000);
  assert.equal(parseArgs(['--port', '1'], { OSTINATO_PORT: '9000' }).port, 1, 'the flag wins');
  assert.throws(
    () => parseArgs(['--port', '70000'], {}),
    /--port must be a port number from 0 to 65535 \(got 70000\)/,
  );
  assert.throws(() => parseArgs(['--port'], {}), /--port must be a port number .*got nothing/);
  assert.throws(() => parseArgs([], { OSTINATO_PORT: 'abc' }), /OSTINATO_PORT must be a port number/);
  assert.throws(() => parseArgs(['--user-data'], {}), /--user-data needs a folder/);
  assert.throws(() => parseArgs(['--bogus'], {}), /unknown option --bogus/);
  assert.match(defaultUserDataDir(), /Ostinato$/);
});

test('npm run serve prints a tokened 127.0.0.1 URL, serves, and stops on SIGTERM', async (t) => {
  if (!existsSync(join(REPO_ROOT, 'dist/renderer/index.html'))) {
    t.skip('dist/renderer is not built (vite build); the serve script would build it first');
    return;
  }
  const userData = tempDir(t);
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'scripts/serve.mjs'), '--no-build', '--port', '0', '--user-data', userData],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BROWSER: 'none' },
    },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30 s:\n${out}`)), 30_000);
    const on = (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout.on('data', on);
    child.stderr.on('data', on);
  });
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.match(out, new RegExp(`User data: ${userData}`));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.ok(existsSync(join(userData, 'corpus', 'index.json')) || existsSync(join(userData, 'corpus')));
});
