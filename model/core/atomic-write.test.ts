import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicTempTarget, writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import { Rng } from '../common/rng.js';
import { leftoverTempFiles, makeReadOnlyFolder, mountTinyTmpfs } from '../../bench/stress-fs.js';
import { runAndKill } from '../../bench/stress-kill.js';
import { checkVersionFile } from '../../bench/stress-versions.js';

async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-aw-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

test('atomicTempTarget recognises the temp file a write leaves when it dies before its rename', async (t) => {
  const dir = await tempDir(t);
  let tempName = '';
  const rename = t.mock.method(fs, 'rename', async (from: string) => {
    tempName = from.slice(dir.length + 1);
    throw Object.assign(new Error('killed'), { code: 'EIO' });
  });
  await assert.rejects(writeFileAtomic(join(dir, 'index.json'), '{}'));
  rename.mock.restore();
  assert.equal(atomicTempTarget(tempName), 'index.json');
  assert.equal(atomicTempTarget(`.c-0a.mid.${process.pid}.0123abcd.tmp`), 'c-0a.mid');
  for (const other of [
    'index.json',
    '.index.json',
    'index.json.tmp',
    '.x.12.nothex!.tmp',
    '.x.pid.0123abcd.tmp',
  ])
    assert.equal(atomicTempTarget(other), null, other);
});

test('replaces the target whole and leaves no temp file', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'model.json');
  await writeFileAtomic(target, 'version 1, a longer first text');
  assert.equal(readFileSync(target, 'utf8'), 'version 1, a longer first text');
  await writeFileAtomic(target, 'v2'); // shorter: a non-atomic overwrite without truncation would leave a tail
  assert.equal(readFileSync(target, 'utf8'), 'v2');
  const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
  await writeFileAtomic(target, bytes);
  assert.deepEqual(new Uint8Array(readFileSync(target)), bytes);
  await writeJsonAtomic(target, { a: 1 });
  assert.deepEqual(JSON.parse(readFileSync(target, 'utf8')), { a: 1 });
  assert.deepEqual(await leftoverTempFiles(dir), []);
});

test('concurrent saves of the same file: the result is exactly one of them', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'settings.json');
  const versions = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({ i, fill: String(i).repeat(50_000 + i) }),
  );
  await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
  assert.ok(versions.includes(readFileSync(target, 'utf8')), 'the file is one whole version');
  assert.deepEqual(await leftoverTempFiles(dir), []);
});

test('a missing folder or a parent that is a file gives an error naming the path', async (t) => {
  const dir = await tempDir(t);
  const missing = join(dir, 'no-such-folder', 'model.json');
  await assert.rejects(writeFileAtomic(missing, 'x'), (e: Error) => {
    assert.match(e.message, /Could not save .*no-such-folder.*model\.json/);
    assert.match(e.message, /does not exist \(ENOENT\)/);
    return true;
  });
  const file = join(dir, 'a-file');
  writeFileSync(file, 'keep me');
  await assert.rejects(writeFileAtomic(join(file, 'model.json'), 'x'), (e: Error) => {
    assert.match(e.message, /Could not save .*a-file.*model\.json: ENOTDIR/);
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), 'keep me');
});

test('read-only folder: clear error, the previous file intact, no temp file', async (t) => {
  const ro = await makeReadOnlyFolder({ 'model.json': '{"version":1}' });
  if ('unavailable' in ro) {
    t.skip(ro.unavailable);
    return;
  }
  t.after(ro.cleanup);
  t.diagnostic(`read-only folder made by: ${ro.method}`);
  const target = join(ro.dir, 'model.json');
  await assert.rejects(writeFileAtomic(target, '{"version":2}'), (e: Error) => {
    assert.ok(e.message.includes(target), e.message);
    assert.match(e.message, /read-only \(EROFS\)|permission denied \((EACCES|EPERM)\)/);
    return true;
  });
  assert.equal(readFileSync(target, 'utf8'), '{"version":1}');
  assert.deepEqual(await leftoverTempFiles(ro.dir), []);
});

test('full disk: clear error, the previous file intact, the space given back', async (t) => {
  const small = JSON.stringify({ version: 1, fill: 'a'.repeat(1000) });
  const big = new Uint8Array(256 * 1024).fill(65); // 4x the 64 KiB tmpfs
  const m = await mountTinyTmpfs(64);
  if ('unavailable' in m) {
    // Simulated: the kernel error is injected into the file handle's write.
    t.diagnostic(`${m.unavailable}; ENOSPC is simulated by injection`);
    const dir = await tempDir(t);
    const target = join(dir, 'model.json');
    writeFileSync(target, small);
    const realOpen = fs.open;
    t.after(() => {
      fs.open = realOpen;
    });
    fs.open = (async (...args: Parameters<typeof realOpen>) => {
      const h = await realOpen(...args);
      h.writeFile = async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
      return h;
    }) as typeof realOpen;
    await assert.rejects(
      writeFileAtomic(target, big),
      /Could not save .*model\.json: the disk is full \(ENOSPC\)/,
    );
    fs.open = realOpen;
    assert.equal(readFileSync(target, 'utf8'), small);
    assert.deepEqual(await leftoverTempFiles(dir), []);
    return;
  }
  t.after(m.cleanup);
  t.diagnostic(`full disk made by: ${m.method}`);
  const target = join(m.dir, 'model.json');
  await writeFileAtomic(target, small);
  await assert.rejects(writeFileAtomic(target, big), (e: Error) => {
    assert.ok(e.message.includes(target), e.message);
    assert.match(e.message, /the disk is full \(ENOSPC\)/);
    return true;
  });
  assert.equal(readFileSync(target, 'utf8'), small);
  assert.deepEqual(await leftoverTempFiles(m.dir), [], 'the partial temp file is removed');
  // The space of the failed attempt was given back: a save that fits still works.
  const v2 = JSON.stringify({ version: 2, fill: 'b'.repeat(40_000) });
  await writeFileAtomic(target, v2);
  assert.equal(readFileSync(target, 'utf8'), v2);
});

test('SIGKILL during saves: the target is always one complete version', async (t) => {
  const dir = await tempDir(t);
  const target = join(dir, 'big.json');
  const seed = Date.now() % 100_000;
  const rng = new Rng(seed);
  t.diagnostic(`seed ${seed}`);
  for (let run = 0; run < 3; run++) {
    const r = await runAndKill({
      script: 'bench/stress-save-child.ts',
      args: ['atomic', target, '2000000'],
      armOn: /^saved /,
      delayMs: rng.range(0, 400),
    });
    assert.equal(r.ended, 'killed', `the child ended by itself: ${r.stderr}`);
    const saved = r.lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.slice(6)));
    const lastReported = saved[saved.length - 1];
    const onDisk = checkVersionFile(target); // throws when torn or unparsable
    // The kill may land after the rename but before the "saved" line: one version ahead at most.
    assert.ok(
      onDisk === lastReported || onDisk === lastReported + 1,
      `on disk ${onDisk}, reported ${lastReported}`,
    );
    t.diagnostic(
      `run ${run + 1}: killed after ${r.killedAfterMs} ms, ${saved.length} saves, on disk v${onDisk}`,
    );
  }
});
