import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../shared/api.js';
import { ProjectService, projectName } from './projects.js';
import { pushRecent, RecentProjects, RECENT_LIMIT } from './recent-projects.js';
import { samplePiece as piece, tempDir, testHost } from './host.fixture.js';

const session: Session = { pieces: [piece('p-1'), piece('p-2', 67)], selectedPieceId: 'p-1' };

async function service(dir: string, dialogs: ConstructorParameters<typeof ProjectService>[2] = null) {
  const recent = new RecentProjects(dir);
  await recent.load();
  return { recent, projects: new ProjectService(dir, recent, dialogs) };
}

test('recent list: newest first, one entry per path, at most 8', () => {
  let list = [] as { name: string; path: string }[];
  for (let i = 0; i < 10; i++) list = pushRecent(list, { name: `p${i}`, path: `/x/p${i}` });
  assert.equal(list.length, RECENT_LIMIT);
  assert.deepEqual(
    list.map((r) => r.name),
    ['p9', 'p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2'],
  );
  list = pushRecent(list, { name: 'p5 again', path: '/x/p5' });
  assert.deepEqual(
    list.map((r) => r.name),
    ['p5 again', 'p9', 'p8', 'p7', 'p6', 'p4', 'p3', 'p2'],
  );
});

test('recent list: persisted; a damaged file or entry is dropped, not fatal', async (t) => {
  const dir = tempDir(t);
  const r = new RecentProjects(dir);
  await r.add({ name: 'A', path: '/a' });
  await r.add({ name: 'B', path: '/b' });
  assert.deepEqual(await new RecentProjects(dir).load(), [
    { name: 'B', path: '/b' },
    { name: 'A', path: '/a' },
  ]);
  writeFileSync(r.path, JSON.stringify([{ name: 'ok', path: '/ok' }, { name: 3 }]));
  assert.deepEqual(await new RecentProjects(dir).load(), [{ name: 'ok', path: '/ok' }]);
  writeFileSync(r.path, '[');
  assert.deepEqual(await new RecentProjects(dir).load(), []);
});

test('project: save as into projects/ (safe name), listed first in recent, opened back exactly', async (t) => {
  const dir = tempDir(t);
  const { recent, projects } = await service(dir);
  const ref = (await projects.saveAs(session, 'My: Reel'))!;
  assert.deepEqual(ref, { name: 'My_ Reel', path: join(dir, 'projects', 'My_ Reel.ostinato.json') });
  const file = JSON.parse(readFileSync(ref.path, 'utf8'));
  assert.equal(file.format, 'ostinato-project');
  assert.equal(file.version, 1);
  assert.deepEqual(recent.get(), [ref]);
  assert.deepEqual(await projects.open({ kind: 'recent', path: ref.path }), { project: ref, session });
});

test('project: opening refuses paths not in the recent list, damaged files, and the missing dialog', async (t) => {
  const dir = tempDir(t);
  const { recent, projects } = await service(dir);
  await assert.rejects(
    projects.open({ kind: 'recent', path: '/etc/passwd' }),
    /is not in the recent projects/,
  );
  await assert.rejects(projects.open({ kind: 'dialog' }), /has no open dialog/);
  const ref = (await projects.saveAs(session, 'Jig'))!;
  writeFileSync(ref.path, JSON.stringify({ format: 'ostinato-project', version: 2, session }));
  await assert.rejects(projects.open({ kind: 'recent', path: ref.path }), /version 2 is not supported/);
  const file = (text: string) => ({
    kind: 'file' as const,
    file: { name: 'x.ostinato.json', data: new TextEncoder().encode(text) },
  });
  await assert.rejects(
    projects.open(file('not json')),
    /x\.ostinato\.json could not be opened: it is not valid JSON/,
  );
  await assert.rejects(projects.open(file('{"format":"other"}')), /not an Ostinato project/);
  const badSel = JSON.stringify({
    format: 'ostinato-project',
    version: 1,
    session: { ...session, selectedPieceId: 'p-9' },
  });
  await assert.rejects(projects.open(file(badSel)), /selectedPieceId must name one of the pieces/);
  const good = JSON.stringify({ format: 'ostinato-project', version: 1, session });
  assert.deepEqual(await projects.open(file(good)), { project: { name: 'x', path: '' }, session });
  assert.deepEqual(recent.get(), [ref], 'a refused open changes nothing');
});

test('project: Electron dialogs choose the paths; cancel returns null and saves nothing', async (t) => {
  const dir = tempDir(t);
  let answer: string | null = null;
  const { recent, projects } = await service(dir, {
    save: async (name) => (answer === null ? null : join(dir, name)),
    open: async () => answer,
  });
  assert.equal(await projects.saveAs(session, 'Reel'), null);
  assert.equal(await projects.open({ kind: 'dialog' }), null);
  answer = 'yes';
  const ref = (await projects.saveAs(session, 'Reel'))!;
  assert.equal(ref.path, join(dir, 'Reel.ostinato.json'));
  answer = ref.path;
  assert.deepEqual((await projects.open({ kind: 'dialog' }))!.session, session);
  assert.equal(recent.get().length, 1);
  assert.equal(projectName('/a/b/Song.ostinato.json'), 'Song');
});

test('host: sessionSave/sessionLoad and projects through the API methods', async (t) => {
  const host = await testHost(t);
  assert.equal(await host.sessionLoad(), null);
  await host.sessionSave(session);
  assert.deepEqual(await host.sessionLoad(), session);
  const ref = (await host.projectSaveAs(session, 'Song'))!;
  assert.deepEqual(await host.projectsRecent(), [ref]);
  assert.deepEqual((await host.projectOpen({ kind: 'recent', path: ref.path }))!.session, session);
});
