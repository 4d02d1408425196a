/// <reference lib="dom" />
/**
 * The app in Chromium against the local host: import (chooser, drag and drop, a bad file), training
 * with progress, loss curves and cancel, generation, playback (sound at the notes' times, playhead,
 * space bar), MIDI and WAV export. The tests run in order and share one page and one host.
 */
import { test, expect, type Page } from '@playwright/test';
import { Midi } from '@tonejs/midi';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { decodeWav, rms } from '../renderer/audio/wav.js';
import { silentWindows } from '../renderer/audio/schedule.js';
import {
  appUrl,
  badBytes,
  dropFiles,
  importWithBadFile,
  nottinghamFiles,
  screenshotPath,
  startLongTraining,
} from './helpers.js';

test.describe.configure({ mode: 'serial' });

interface Sample {
  t: number; // ms, performance.now()
  pos: number; // playhead, piece seconds
  level: number; // output RMS (the level meter's tap)
  state: string; // 'playing' | 'stopped'
}

/** Records (time, playhead, output level, state) every few ms inside the page. */
async function startRecording(p: Page): Promise<void> {
  await p.evaluate(() => {
    const w = window as unknown as { __rec: unknown[]; __recTimer: number };
    w.__rec = [];
    const roll = document.querySelector('[data-testid="pianoroll"]') as HTMLElement;
    const meter = document.querySelector('[data-testid="meter"]') as HTMLElement;
    const play = document.querySelector('[data-testid="play"]') as HTMLElement;
    w.__recTimer = window.setInterval(() => {
      w.__rec.push({
        t: performance.now(),
        pos: Number(roll.dataset.playhead),
        level: Number(meter.dataset.level),
        state: play.dataset.state ?? '',
      });
    }, 8);
  });
}

async function stopRecording(p: Page): Promise<Sample[]> {
  return (await p.evaluate(() => {
    const w = window as unknown as { __rec: unknown[]; __recTimer: number };
    clearInterval(w.__recTimer);
    return w.__rec;
  })) as Sample[];
}

let page: Page;
const pageErrors: string[] = [];
let exported: {
  notes: { pitch: number; time: number; duration: number; velocity: number }[];
  bpm: number;
  length: number;
} | null = null;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(appUrl());
  const connection = page.getByTestId('connection');
  try {
    await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  } catch {
    // a busy machine (or a concurrent rebuild of dist/renderer in a shared checkout): load again
    await page.reload();
    await expect(connection).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  }
});

test.afterAll(async () => {
  await page.close();
});

test('imports MIDI files through the chooser and by drag and drop; a bad file is reported', async () => {
  const [a, b, c, d] = nottinghamFiles(4, 10);
  await page.getByRole('tab', { name: 'Corpus' }).click();
  await page.screenshot({ path: screenshotPath('window-empty') });
  await importWithBadFile(page, [a!, b!]);
  const summary = page.getByTestId('import-summary');
  await expect(summary).toContainText('2 imported');
  await expect(summary).toContainText('bad.mid');
  await page.getByTestId('corpus-panel').screenshot({ path: screenshotPath('corpus-bad-file') });
  const rows = page.getByTestId('corpus-table').locator('tbody tr');
  await expect(rows.filter({ hasNotText: 'bad.mid' })).toHaveCount(2);

  await dropFiles(page, [
    { name: basename(c!), path: c! },
    { name: basename(d!), path: d! },
  ]);
  await expect(summary).toContainText('Last import: 2 imported');
  for (const f of [a, b, c, d]) await expect(page.getByTestId('corpus-table')).toContainText(basename(f!));
  // every good file shows its tracks (checkboxes), notes and tempo
  const first = rows.filter({ hasText: basename(a!) });
  await expect(first.locator('input[data-track]').first()).toBeVisible();
  await expect(first).toContainText('bpm');
  await page.getByTestId('corpus-panel').screenshot({ path: screenshotPath('corpus') });

  // unticking a track goes to the host and sticks
  const box = first.locator('input[data-track]').first();
  await box.uncheck();
  await expect(box).not.toBeChecked();
  await expect(box).toBeEnabled();
  await box.check();
  await expect(box).toBeChecked();
});

test('imports a folder: MIDI files inside are taken, other files listed as skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ostinato-folder-'));
  try {
    for (const f of nottinghamFiles(2, 40)) copyFileSync(f, join(dir, basename(f)));
    writeFileSync(join(dir, 'notes.txt'), 'not music');
    await page.getByTestId('import-folder-input').setInputFiles(dir);
    const summary = page.getByTestId('import-summary');
    await expect(summary).toContainText('Last import: 2 imported, 1 skipped');
    await expect(summary).toContainText('notes.txt');
    // remove them again so the rest of the run uses the first four files
    const rows = page.getByTestId('corpus-table').locator('tbody tr');
    await expect(rows).toHaveCount(6);
    for (const f of nottinghamFiles(2, 40)) {
      await rows
        .filter({ hasText: basename(f) })
        .locator('.col-actions button')
        .click();
    }
    await expect(rows).toHaveCount(4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('trains with live progress and loss curves, and cancel stops it', async () => {
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('backend')).toContainText(/wasm|cpu|tensorflow/);
  await startLongTraining(page, 'e2e tiny');
  await expect(page.getByTestId('train-cancel')).toBeEnabled();
  const canvas = page.locator('.loss-canvas');
  await expect
    .poll(async () => Number(await canvas.getAttribute('data-points')), { timeout: 60_000 })
    .toBeGreaterThan(3);
  await expect(page.locator('.eta')).toContainText('ETA');
  await expect(page.getByTestId('train-status')).toContainText(/Epoch \d+ /);
  await page.getByTestId('training-panel').screenshot({ path: screenshotPath('training') });
  await page.getByTestId('train-cancel').click();
  await expect(page.getByTestId('train-status')).toContainText(/cancelled/i, { timeout: 60_000 });
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await expect(page.getByTestId('train-cancel')).toBeDisabled();
});

/** A two-bar primer with rests: a C major chord on beat 1 of bar 1, a D on beat 1 of bar 2. */
function primerWithRests(): Buffer {
  const midi = new Midi();
  midi.header.setTempo(120);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  const track = midi.addTrack();
  for (const pitch of [60, 64, 67]) track.addNote({ midi: pitch, time: 0, duration: 0.45, velocity: 0.8 });
  track.addNote({ midi: 62, time: 2, duration: 0.45, velocity: 0.8 });
  return Buffer.from(midi.toArray());
}

test('generates two variations from a primer file and shows them in the piano roll', async () => {
  await page.getByRole('tab', { name: 'Generate' }).click();
  // the bundled default model is listed first when it exists; otherwise the model trained above
  const model = page.locator('[data-field="model"]');
  await expect(model.locator('option')).not.toHaveCount(0);
  // the primer's rests stay in the piece (its first two bars), so the sound checks below have
  // silent windows to check against the piece's own note times
  await page.locator('[data-field="primer"]').selectOption('file');
  await page
    .getByTestId('primer-input')
    .setInputFiles({ name: 'primer.mid', mimeType: 'audio/midi', buffer: primerWithRests() });
  await expect(page.getByTestId('generate-panel')).toContainText('primer.mid');
  await page.locator('[data-field="primer-bars"]').fill('2');
  await page.locator('[data-field="bars"]').fill('2');
  await page.locator('[data-field="variations"]').fill('2');
  await page.locator('[data-field="seed"]').fill('1234');
  await page.getByTestId('tempo').fill('120'); // the one tempo, in the transport
  await page.getByTestId('tempo').press('Enter');
  await page.getByTestId('generate').click();
  const items = page.getByTestId('variations').locator('.variation');
  await expect(items).toHaveCount(2, { timeout: 120_000 });
  await expect(items.first()).toHaveClass(/selected/);
  await expect(items.first()).toContainText('4 bars');
  await items.nth(1).click();
  await expect(items.nth(1)).toHaveClass(/selected/);
  await items.first().click();
  await page.getByTestId('generate-panel').screenshot({ path: screenshotPath('generate') });
  await page.screenshot({ path: screenshotPath('window-generate') });
});

test('a variation dragged out carries its MIDI file (DownloadURL)', async () => {
  const url = await page.evaluate(() => {
    const item = document.querySelector('[data-testid="variations"] .variation') as HTMLElement;
    const dt = new DataTransfer();
    item.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: dt }));
    return dt.getData('DownloadURL');
  });
  expect(url).toMatch(/^audio\/midi:.+\.mid:blob:http:\/\/127\.0\.0\.1:\d+\//);
});

test('exports the selected variation as MIDI that reads back with its notes and tempo', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-midi').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.mid$/);
  const path = await download.path();
  const midi = new Midi(readFileSync(path));
  const notes = midi.tracks.flatMap((t) => t.notes);
  expect(notes.length).toBeGreaterThan(0);
  expect(midi.header.tempos.length).toBeGreaterThan(0);
  const bpm = midi.header.tempos[0]!.bpm;
  expect(Math.abs(bpm - 120)).toBeLessThan(0.5);
  exported = {
    notes: notes.map((n) => ({ pitch: n.midi, time: n.time, duration: n.duration, velocity: n.velocity })),
    bpm,
    length: midi.duration,
  };
  console.log(`MIDI export: ${notes.length} notes, ${bpm.toFixed(1)} bpm, ${midi.duration.toFixed(2)} s`);
});

test('plays: sound at the notes’ times, silence in rests, moving playhead, space bar toggles', async () => {
  expect(exported).not.toBeNull();
  const { notes } = exported!;
  await page.getByTestId('instrument').selectOption('synth');
  await page.waitForTimeout(300);
  await startRecording(page);
  await page.locator('body').click({ position: { x: 5, y: 300 } }); // focus outside any input
  await page.locator('.roll-overlay').click({ position: { x: 1, y: 100 } }); // seek to the start
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('data-state', 'playing');
  const playFor = Math.min(exported!.length, 6) + 0.3;
  await page.waitForTimeout(playFor * 1000);
  const midPos = Number(await page.getByTestId('pianoroll').getAttribute('data-playhead'));
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('data-state', 'stopped');
  await page.waitForTimeout(500);
  const rec = await stopRecording(page);
  expect(midPos).toBeGreaterThan(0.5);

  const playing = rec.filter((r) => r.state === 'playing' && r.pos > 0);
  expect(playing.length).toBeGreaterThan(50);
  // the playhead moves forward with time
  const positions = playing.map((r) => r.pos);
  expect(Math.max(...positions) - Math.min(...positions)).toBeGreaterThan(1);

  const margin = 0.06;
  const sounding = playing.filter((r) =>
    notes.some((n) => r.pos >= n.time + margin && r.pos <= n.time + n.duration - margin),
  );
  const release = 0.08 + 0.15;
  const rests = silentWindows(notes, exported!.length, release, 0.12);
  const inRest = playing.filter((r) => rests.some((w) => r.pos >= w.start + 0.03 && r.pos <= w.end - 0.03));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const loud = mean(sounding.map((r) => r.level));
  const quiet = mean(inRest.map((r) => r.level));
  const lit = sounding.filter((r) => r.level > 0.003).length / Math.max(1, sounding.length);
  const afterStop = rec.filter((r) => r.state === 'stopped').slice(-20);
  const tail = mean(afterStop.map((r) => r.level));
  console.log(
    `live playback: ${sounding.length} samples during notes, mean RMS ${loud.toFixed(4)}, ${(lit * 100).toFixed(0)}% above 0.003; ` +
      `${rests.length} rests (${inRest.length} samples) mean RMS ${quiet.toFixed(5)}; after stop ${tail.toFixed(5)}`,
  );
  expect(sounding.length).toBeGreaterThan(20);
  expect(loud).toBeGreaterThan(0.01);
  expect(lit).toBeGreaterThan(0.9);
  expect(inRest.length).toBeGreaterThan(10);
  expect(quiet).toBeLessThan(loud / 10);
  expect(tail).toBeLessThan(0.001);
  await page.locator('.transport').screenshot({ path: screenshotPath('transport') });
});

test('clicking the piano roll seeks', async () => {
  const roll = page.getByTestId('pianoroll');
  const box = (await roll.boundingBox())!;
  // on the ruler: a click in the note area may land on a note, which selects it instead
  await roll.click({ position: { x: box.width * 0.75, y: 6 } });
  const pos = Number(await roll.getAttribute('data-playhead'));
  expect(pos).toBeGreaterThan(exported!.length * 0.5);
  expect(pos).toBeLessThanOrEqual(exported!.length);
});

test('loop wraps the playhead; a faster tempo re-times the piece: it plays in half the time', async () => {
  const len = exported!.length;
  await page.getByTestId('tempo').fill('240');
  await page.getByTestId('tempo').press('Enter');
  await page.getByTestId('loop').click();
  await expect(page.getByTestId('loop')).toHaveAttribute('aria-pressed', 'true');
  await page.locator('.roll-overlay').click({ position: { x: 1, y: 100 } });
  await startRecording(page);
  await page.getByTestId('play').click();
  await page.waitForTimeout((len / 2) * 1000 + 1500);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAttribute('data-state', 'stopped');
  const rec = (await stopRecording(page)).filter((r) => r.state === 'playing');
  expect(rec.length).toBeGreaterThan(20);
  const wrap = rec.findIndex((r, i) => i > 0 && r.pos < rec[i - 1]!.pos - len / 4);
  expect(wrap).toBeGreaterThan(0);
  // one tempo per piece: at 240 bpm the 120 bpm piece is re-timed to half its length (its notes on
  // the same beats), and the playhead runs through it in real time, wrapping after ~len/2 s
  const run = rec.slice(0, wrap).filter((r) => r.pos > 0.1);
  const rate = (run.at(-1)!.pos - run[0]!.pos) / ((run.at(-1)!.t - run[0]!.t) / 1000);
  const wrappedAfter = (rec[wrap]!.t - rec[0]!.t) / 1000;
  console.log(
    `loop: wrapped after ${(wrappedAfter * 1000).toFixed(0)} ms (piece ${len.toFixed(2)} s at 120 bpm), playhead ${rate.toFixed(2)} s/s`,
  );
  expect(rate).toBeGreaterThan(0.8);
  expect(rate).toBeLessThan(1.2);
  expect(wrappedAfter).toBeGreaterThan((len / 2) * 0.8);
  expect(wrappedAfter).toBeLessThan((len / 2) * 1.25);
  expect(Math.max(...rec.map((r) => r.pos))).toBeLessThanOrEqual(len / 2 + 0.05);
  await page.getByTestId('loop').click();
  await page.getByTestId('tempo').fill('120');
  await page.getByTestId('tempo').press('Enter');
});

test('exports WAV that is sound where the notes are', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByTestId('export-wav').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.wav$/);
  const wav = decodeWav(new Uint8Array(readFileSync(await download.path())));
  expect(wav.channels.length).toBe(2);
  const ch = wav.channels[0]!;
  const sr = wav.sampleRate;
  const total = rms(ch);
  const { notes, length } = exported!;
  const at = (from: number, to: number) => rms(ch, from * sr, to * sr);
  const noteWindows = notes
    .filter((n) => n.duration > 0.15)
    .map((n) => at(n.time + 0.03, n.time + n.duration - 0.03));
  const rests = silentWindows(notes, length, 0.08 + 0.1, 0.1).map((w) => at(w.start + 0.02, w.end - 0.02));
  const tail = at(length + 0.25, ch.length / sr);
  const quietNotes = noteWindows.filter((v) => v < 0.003).length;
  console.log(
    `WAV: ${(ch.length / sr).toFixed(2)} s at ${sr} Hz, RMS ${total.toFixed(4)}; ${noteWindows.length} note windows, min RMS ` +
      `${Math.min(...noteWindows).toFixed(4)}; ${rests.length} rests, max RMS ${rests.length ? Math.max(...rests).toFixed(5) : '–'}; tail ${tail.toFixed(5)}`,
  );
  expect(total).toBeGreaterThan(0.01);
  expect(noteWindows.length).toBeGreaterThan(0);
  expect(quietNotes).toBe(0);
  expect(rests.length).toBeGreaterThan(0);
  for (const r of rests) expect(r).toBeLessThan(0.002);
});

test('renders the Salamander piano offline (samples served by the host)', async () => {
  await page.getByTestId('instrument').selectOption('piano');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByTestId('export-wav').click(),
  ]);
  const wav = decodeWav(new Uint8Array(readFileSync(await download.path())));
  const ch = wav.channels[0]!;
  const sr = wav.sampleRate;
  const { notes } = exported!;
  const first = notes.reduce((a, b) => (b.time < a.time ? b : a));
  const onset = rms(ch, first.time * sr, (first.time + 0.2) * sr);
  console.log(
    `piano WAV: ${(ch.length / sr).toFixed(2)} s, RMS ${rms(ch).toFixed(4)}, first 200 ms of the first note ${onset.toFixed(4)}`,
  );
  expect(rms(ch)).toBeGreaterThan(0.01);
  expect(onset).toBeGreaterThan(0.005);
  expect(pageErrors).toEqual([]);
});

test('model library: save as, open, rename and delete', async () => {
  await page.getByRole('tab', { name: 'Models' }).click();
  const list = page.getByTestId('model-list');
  const before = await list.locator('.model-card').count();
  expect(before).toBeGreaterThan(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('save-model').click(),
  ]);
  const bundle = readFileSync(await download.path());
  expect(bundle.length).toBeGreaterThan(100);
  await page.getByTestId('open-model-input').setInputFiles({
    name: download.suggestedFilename(),
    mimeType: 'application/octet-stream',
    buffer: bundle,
  });
  await expect(list.locator('.model-card')).toHaveCount(before + 1);
  const opened = list.locator('.model-card.selected');
  await opened.getByRole('button', { name: 'Rename' }).click();
  await opened.locator('.rename-input').fill('Opened copy');
  await opened.locator('.rename-input').press('Enter');
  await expect(list).toContainText('Opened copy');
  await page.getByTestId('models-panel').screenshot({ path: screenshotPath('models') });
  const card = list.locator('.model-card', { hasText: 'Opened copy' });
  await card.getByRole('button', { name: 'Delete' }).click();
  await card.getByRole('button', { name: 'Delete for good' }).click();
  await expect(list.locator('.model-card')).toHaveCount(before);
  // a file that is not a model bundle gives a readable error
  await page
    .getByTestId('open-model-input')
    .setInputFiles({ name: 'junk.ostinato', mimeType: 'application/octet-stream', buffer: badBytes() });
  await expect(page.locator('.toast-error').last()).toContainText(/junk\.ostinato/);
  await expect(list.locator('.model-card')).toHaveCount(before);
  expect(pageErrors).toEqual([]);
});

test('About shows the version, backend and credits', async () => {
  await page.getByRole('button', { name: 'About' }).click();
  const dialog = page.locator('dialog.about');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Alexander Holm');
  await expect(dialog).toContainText(/wasm|cpu|tensorflow/);
  await dialog.screenshot({ path: screenshotPath('about') });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('generates from the first bars of a corpus file', async () => {
  await page.getByRole('tab', { name: 'Generate' }).click();
  await page.locator('[data-field="primer"]').selectOption('corpus');
  const files = page.locator('[data-field="primer-file"] optgroup[label="Your corpus"] option');
  await expect(files).toHaveCount(4);
  // the bundled Bach chorales are offered too
  await expect(
    page.locator('[data-field="primer-file"] optgroup[label="Bundled Bach chorales"] option'),
  ).not.toHaveCount(0);
  await page.locator('[data-field="primer-file"]').selectOption({ index: 1 });
  await page.locator('[data-field="primer-bars"]').fill('1');
  await page.locator('[data-field="bars"]').fill('2');
  await page.locator('[data-field="variations"]').fill('1');
  await page.getByTestId('generate').click();
  const items = page.getByTestId('variations').locator('.variation');
  await expect(items).toHaveCount(1, { timeout: 120_000 });
  await expect(items.first()).toContainText('3 bars');
  expect(pageErrors).toEqual([]);
});
