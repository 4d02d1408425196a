/// <reference lib="dom" />
/**
 * The roll and transport as a composing tool, in Chromium against the local host with the bundled
 * model: one tempo everywhere (a primer's tempo, meter and key become the defaults), zoom and
 * scroll of the roll, a loop region dragged on the ruler (measured on the transport clock),
 * count-in, the shortcut sheet and its keys, and the layout at 1280x800 and 1366x768 checked by
 * element geometry. Screenshots go to test-results/screenshots/.
 */
import { expect, test, type Page } from '@playwright/test';
import { Midi } from '@tonejs/midi';
import { readFileSync } from 'node:fs';
import { openGenerateView, screenshotPath } from './helpers.js';

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await openGenerateView(browser, pageErrors);
});

test('the generate panel and the model card show the validation loss (the under-training hint)', async () => {
  await expect(page.getByTestId('generate-quality')).toContainText(/[Vv]alidation loss \d\.\d{3}/);
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page.getByTestId('model-quality').first()).toContainText(/[Vv]alidation loss \d\.\d{3}/);
  await page.getByRole('tab', { name: 'Generate' }).click();
});

test.afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await page.close();
});

const roll = () => page.getByTestId('pianoroll');
const items = () => page.getByTestId('variations').locator('.variation');

async function view(): Promise<{ start: number; end: number; low: number; high: number; notes: number }> {
  return roll().evaluate((el) => {
    const d = (el as HTMLElement).dataset;
    return {
      start: Number(d.viewStart),
      end: Number(d.viewEnd),
      low: Number(d.low),
      high: Number(d.high),
      notes: Number(d.visibleNotes),
    };
  });
}

async function generate(variations: number, bars: number): Promise<void> {
  await page.locator('[data-field="bars"]').fill(String(bars));
  await page.locator('[data-field="variations"]').fill(String(variations));
  await page.locator('[data-field="seed"]').fill('77');
  await page.getByTestId('generate').click();
  await expect(items()).toHaveCount(variations, { timeout: 120_000 });
  await expect(page.getByTestId('generate')).toHaveText('Generate', { timeout: 120_000 });
}

/** Three 8-bar variations at 120 bpm unless an earlier test left three (each test may run alone). */
async function ensurePieces(): Promise<void> {
  if ((await items().count()) === 3) return;
  await page.getByTestId('tempo').fill('120');
  await page.getByTestId('tempo').press('Enter');
  await generate(3, 8);
}

/** A primer in 3/4 at 230 bpm on G major's notes. */
function waltzPrimer(): Buffer {
  const midi = new Midi();
  midi.header.setTempo(230);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [3, 4] });
  const track = midi.addTrack();
  const beat = 60 / 230;
  [67, 71, 74, 66, 67, 62, 71, 67, 74, 79, 66, 67].forEach((p, i) =>
    track.addNote({ midi: p, time: i * beat, duration: beat * 0.9, velocity: 0.8 }),
  );
  return Buffer.from(midi.toArray());
}

async function exportedMidi(): Promise<Midi> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Control+e')]);
  return new Midi(readFileSync(await download.path()));
}

test('one tempo: the transport’s, used by generation, playback and export; a primer sets it', async () => {
  const tempo = page.getByTestId('tempo');
  // a single tempo control in the window
  await expect(page.locator('[data-field="tempo"]')).toHaveCount(0);
  await expect(tempo).toHaveValue('120');
  await generate(3, 4);
  await expect(tempo).toHaveValue('120');
  await expect(items().first()).toContainText('at 120 bpm');
  let midi = await exportedMidi();
  expect(midi.header.tempos[0]!.bpm).toBeCloseTo(120, 1);
  const len120 = midi.duration;

  await tempo.fill('150');
  await tempo.press('Enter');
  await expect(items().first()).toContainText('at 150 bpm');
  midi = await exportedMidi();
  expect(midi.header.tempos[0]!.bpm).toBeCloseTo(150, 1);
  expect(midi.duration).toBeCloseTo((len120 * 120) / 150, 1);
  const total = await page.getByTestId('position').textContent();
  expect(total).toMatch(/\/ 0:0[0-9]/);

  // the primer's tempo, meter and key become the defaults
  await page.locator('[data-field="primer"]').selectOption('file');
  await page
    .getByTestId('primer-input')
    .setInputFiles({ name: 'waltz.mid', mimeType: 'audio/midi', buffer: waltzPrimer() });
  await expect(page.getByTestId('primer-info')).toContainText('230 bpm · 3/4 · G major');
  await expect(tempo).toHaveValue('230');
  await expect(page.locator('[data-field="key"]')).toHaveValue('G');
  await page.locator('[data-field="primer-bars"]').fill('1');
  await generate(1, 2);
  await expect(items().first()).toContainText('at 230 bpm');
  await expect(tempo).toHaveValue('230');
  midi = await exportedMidi();
  expect(midi.header.tempos[0]!.bpm).toBeCloseTo(230, 1);
  expect(midi.header.timeSignatures[0]!.timeSignature).toEqual([3, 4]);
  await page.locator('[data-field="primer"]').selectOption('none');
  await tempo.fill('120');
  await tempo.press('Enter');
  await generate(3, 8);
  await expect(tempo).toHaveValue('120');
});

test('zoom and scroll change the visible range (keys, Ctrl+wheel, Shift+wheel, wheel)', async () => {
  await ensurePieces();
  const fit = await view();
  expect(fit.start).toBe(0);
  expect(fit.end).toBeGreaterThan(15); // 8 bars at 120 bpm: 16 s
  await roll().focus();
  await page.keyboard.press('=');
  const zoomed = await view();
  expect(zoomed.end - zoomed.start).toBeCloseTo((fit.end - fit.start) / 1.5, 2);
  expect(zoomed.notes).toBeLessThan(fit.notes);

  // Ctrl+wheel zooms around the pointer: the time under it stays under it
  const box = (await roll().boundingBox())!;
  const px = box.x + 44 + (box.width - 44) * 0.5;
  await page.mouse.move(px, box.y + box.height / 2);
  const before = await view();
  const under = before.start + 0.5 * (before.end - before.start);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await expect
    .poll(async () => (await view()).end - (await view()).start)
    .toBeLessThan((before.end - before.start) * 0.8);
  const close = await view();
  expect(close.start + 0.5 * (close.end - close.start)).toBeCloseTo(under, 1);

  // Shift+wheel scrolls in time, the wheel scrolls the pitches
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, 200);
  await page.keyboard.up('Shift');
  await expect.poll(async () => (await view()).start).toBeGreaterThan(close.start);
  const rows = await view();
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => (await view()).high).toBeGreaterThan(rows.high);
  expect((await view()).high - (await view()).low).toBe(rows.high - rows.low);

  // Ctrl+Shift+wheel zooms the pitches; 0 shows the whole piece again
  await page.keyboard.down('Control');
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Shift');
  await page.keyboard.up('Control');
  await expect.poll(async () => (await view()).high - (await view()).low).toBeLessThan(rows.high - rows.low);
  await page.locator('.roll-card').screenshot({ path: screenshotPath('roll-zoomed') });
  await page.keyboard.press('0');
  expect(await view()).toEqual(fit);
});

interface Sample {
  t: number;
  pos: number;
  level: number; // output RMS (the level meter's tap)
}

async function record(ms: number): Promise<Sample[]> {
  return page.evaluate(async (ms) => {
    const el = document.querySelector('[data-testid="pianoroll"]') as HTMLElement;
    const meter = document.querySelector('[data-testid="meter"]') as HTMLElement;
    const out: { t: number; pos: number; level: number }[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      out.push({
        t: performance.now(),
        pos: Number(el.dataset.playhead),
        level: Number(meter.dataset.level),
      });
      await new Promise((r) => setTimeout(r, 8));
    }
    return out;
  }, ms);
}

test('a loop region dragged on the ruler loops, measured on the transport clock', async () => {
  await ensurePieces();
  const box = (await roll().boundingBox())!;
  const { start, end } = await view();
  const bar = Number(await roll().getAttribute('data-bar-seconds'));
  const x = (t: number) => box.x + 44 + ((t - start) / (end - start)) * (box.width - 44);
  // bars 3 and 4 (seconds 2 bars .. 4 bars)
  await page.mouse.move(x(2 * bar) + 1, box.y + 9);
  await page.mouse.down();
  await page.mouse.move(x(3 * bar), box.y + 9, { steps: 4 });
  await page.mouse.move(x(4 * bar) - 1, box.y + 9, { steps: 4 });
  await page.mouse.up();
  const loop = page.getByTestId('loop');
  await expect(loop).toHaveAttribute('aria-pressed', 'true');
  await expect(loop).toHaveText('⟲ Loop 3–5');
  await roll().click({ position: { x: 46, y: box.height - 10 } }); // cue at the start
  await page.keyboard.press('Space');
  const rec = (await record((2 * bar + 2.2 * 2 * bar) * 1000)).filter((s) => s.pos > 0);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('data-state', 'stopped');
  const entered = rec.findIndex((s) => s.pos >= 2 * bar);
  expect(entered).toBeGreaterThan(0);
  const inside = rec.slice(entered);
  for (const s of inside) {
    expect(s.pos).toBeGreaterThanOrEqual(2 * bar - 0.05);
    expect(s.pos).toBeLessThanOrEqual(4 * bar + 0.05);
  }
  const wraps = inside.flatMap((s, i) => (i > 0 && s.pos < inside[i - 1]!.pos - bar ? [s.t] : []));
  expect(wraps.length).toBeGreaterThanOrEqual(1);
  // the region took one pass of its two bars in wall time (tempo = the piece's)
  const firstPass = (wraps[0]! - inside[0]!.t) / 1000;
  console.log(
    `loop region ${(2 * bar).toFixed(2)}-${(4 * bar).toFixed(2)} s: ${wraps.length} wraps, first pass ${firstPass.toFixed(2)} s`,
  );
  expect(firstPass).toBeGreaterThan(2 * bar * 0.85);
  expect(firstPass).toBeLessThan(2 * bar * 1.15);
  await page.locator('.roll-card').screenshot({ path: screenshotPath('roll-loop-region') });
  // a double-click on the ruler clears the region; the loop is the whole piece again
  await roll().dblclick({ position: { x: box.width / 2, y: 9 } });
  await expect(loop).toHaveText('⟲ Loop');
  await page.keyboard.press('l');
  await expect(loop).toHaveAttribute('aria-pressed', 'false');
});

test('count-in: one bar of clicks, then the playhead moves; the metronome toggles', async () => {
  await ensurePieces();
  await page.keyboard.press('Shift+K');
  await expect(page.getByTestId('count-in')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('k');
  await expect(page.getByTestId('metronome')).toHaveAttribute('aria-pressed', 'true');
  const bar = Number(await roll().getAttribute('data-bar-seconds'));
  const box = (await roll().boundingBox())!;
  await roll().click({ position: { x: 46, y: box.height - 10 } });
  const t0 = await page.evaluate(() => performance.now());
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('data-state', 'playing');
  const rec = await record((bar + 1) * 1000);
  await page.keyboard.press('Space');
  const cue = rec[0]!.pos;
  expect(cue).toBeLessThan(0.1);
  const moved = rec.find((s) => s.pos > cue + 0.05);
  expect(moved).toBeTruthy();
  const wait = (moved!.t - t0) / 1000;
  console.log(`count-in: the playhead moved ${wait.toFixed(2)} s after play (one bar: ${bar.toFixed(2)} s)`);
  expect(wait).toBeGreaterThan(bar * 0.85);
  // before the music starts only the count-in clicks (the metronome's sound) are heard
  const clicks = rec.filter((s) => s.t < moved!.t - 100).map((s) => s.level);
  console.log(`count-in: loudest click ${Math.max(...clicks).toFixed(4)} RMS`);
  expect(Math.max(...clicks)).toBeGreaterThan(0.005);
  await page.keyboard.press('Shift+K');
  await page.keyboard.press('k');
  await expect(page.getByTestId('count-in')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('metronome')).toHaveAttribute('aria-pressed', 'false');
});

test('the shortcut sheet (?) lists the keys; Enter generates, arrows select, Ctrl+E exports', async () => {
  await page.getByTestId('generate-panel').locator('.panel-head h2').click();
  await page.keyboard.press('?');
  const sheet = page.getByTestId('shortcut-sheet');
  await expect(sheet).toBeVisible();
  for (const [command, keys] of [
    ['play-stop', 'Space'],
    ['generate', 'Enter'],
    ['select-next', '↓'],
    ['playhead-back', '←'],
    ['export-midi', 'Ctrl+E'],
    ['zoom-in', '='],
    ['show-shortcuts', '?'],
  ])
    await expect(sheet.locator(`tr[data-command="${command}"] kbd`).first()).toHaveText(keys);
  await sheet.screenshot({ path: screenshotPath('shortcut-sheet') });
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();

  await items().first().click();
  await page.keyboard.press('ArrowDown');
  await expect(items().nth(1)).toHaveClass(/selected/);
  await page.keyboard.press('ArrowUp');
  await expect(items().first()).toHaveClass(/selected/);
  const first = await items().first().getAttribute('data-piece');
  await page.getByTestId('generate-panel').locator('.panel-head h2').click();
  await page.locator('[data-field="seed"]').fill('78');
  await page.getByTestId('generate-panel').locator('.panel-head h2').click();
  await page.keyboard.press('Enter');
  await expect.poll(() => items().first().getAttribute('data-piece'), { timeout: 120_000 }).not.toBe(first);
  const midi = await exportedMidi();
  expect(midi.tracks.flatMap((t) => t.notes).length).toBeGreaterThan(0);
});

test('the bundled Bach chorales are listed read-only in Corpus and one becomes the primer', async () => {
  await page.getByRole('tab', { name: 'Corpus' }).click();
  const bundled = page.getByTestId('bundled-corpus');
  await expect(bundled).toBeVisible();
  await expect(bundled.locator('summary')).toContainText(/\(3\d\d files\)/);
  await bundled.locator('summary').click();
  const row = bundled.locator('tr[data-file="jsb-test-001.mid"]');
  await expect(row).toContainText('Soprano, Alto, Tenor, Bass');
  await expect(row).toContainText('90 bpm');
  // read-only: no checkbox to remove it, not counted as the user's corpus
  await expect(row.locator('input[type="checkbox"]')).toHaveCount(0);
  await row.getByRole('button', { name: 'Use as primer' }).click();
  await expect(page.getByTestId('generate-panel')).toBeVisible();
  await expect(page.locator('[data-field="primer"]')).toHaveValue('corpus');
  await expect(page.locator('[data-field="primer-file"]')).toHaveValue('bundled-jsb-test-001');
  await expect(page.getByTestId('primer-info')).toContainText('90 bpm · 4/4');
  await expect(page.getByTestId('tempo')).toHaveValue('90');
  await page.locator('[data-field="primer-bars"]').fill('1');
  await generate(3, 2);
  await expect(items().first()).toContainText('3 bars');
  await expect(items().first()).toContainText('at 90 bpm');
  await page.locator('[data-field="primer"]').selectOption('none');
});

test('an identical error shows one toast with a count', async () => {
  await page.locator('[data-field="bars"]').fill('0');
  for (let i = 0; i < 3; i++) await page.getByTestId('generate').click();
  const errors = page.locator('.toast-error', { hasText: 'Bars must be between 1 and 512 (got 0)' });
  await expect(errors).toHaveCount(1);
  await expect(errors.locator('.toast-count')).toHaveText('×3');
  await errors.locator('.toast-close').click();
  await page.locator('[data-field="bars"]').fill('8');
});

for (const [width, height] of [
  [1280, 800],
  [1366, 768],
] as const) {
  test(`layout at ${width}x${height}: the transport is one row and hides nothing`, async () => {
    await page.setViewportSize({ width, height });
    await page.getByRole('tab', { name: 'Generate' }).click();
    await ensurePieces();
    // the widest transport: a loop region in the loop button's label
    const box = (await roll().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + 9);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + 9, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByTestId('loop')).toHaveText(/Loop \d/);
    const geo = await page.evaluate(() => {
      const rect = (el: Element) => el.getBoundingClientRect();
      const transport = rect(document.querySelector('[data-testid="transport"]')!);
      const views = rect(document.querySelector('main.views')!);
      const groups = Array.from(document.querySelectorAll('.transport > .t-group')).map(rect);
      const must = [
        ...Array.from(document.querySelectorAll('[data-testid="variations"] .variation')),
        document.querySelector('[data-testid="generate"]')!,
        document.querySelector('[data-testid="pianoroll"]')!,
        ...Array.from(document.querySelectorAll('.transport button, .transport input, .transport select')),
      ].map((el) => ({ name: el.textContent?.trim().slice(0, 30) || el.className, r: rect(el) }));
      return {
        transport: { top: transport.top, bottom: transport.bottom, height: transport.height },
        views: { top: views.top, bottom: views.bottom },
        rows: new Set(groups.map((g) => Math.round(g.top + g.height / 2))).size,
        must: must.map((m) => ({
          name: m.name,
          top: m.r.top,
          bottom: m.r.bottom,
          left: m.r.left,
          right: m.r.right,
        })),
        nowPlaying: rect(document.querySelector('.now-playing')!).width,
        innerWidth: window.innerWidth,
        innerHeight: window.innerHeight,
      };
    });
    await page.screenshot({ path: screenshotPath(`layout-${width}x${height}`) });
    console.log(
      `${width}x${height}: transport ${geo.transport.height.toFixed(0)} px high, ${geo.rows} row(s)`,
    );
    expect(geo.rows).toBe(1);
    expect(geo.nowPlaying, 'the piece’s name keeps room').toBeGreaterThanOrEqual(80);
    expect(geo.transport.bottom).toBeLessThanOrEqual(geo.innerHeight + 0.5);
    for (const m of geo.must) {
      const inTransport = m.top >= geo.transport.top - 0.5;
      const where = inTransport ? { top: geo.transport.top, bottom: geo.transport.bottom } : geo.views;
      expect(m.top, `${m.name} top`).toBeGreaterThanOrEqual(where.top - 0.5);
      expect(m.bottom, `${m.name} is not behind the transport`).toBeLessThanOrEqual(where.bottom + 0.5);
      expect(m.left, `${m.name} left`).toBeGreaterThanOrEqual(-0.5);
      expect(m.right, `${m.name} right`).toBeLessThanOrEqual(geo.innerWidth + 0.5);
    }
    // the other views: nothing cut off at the sides, their buttons reachable above the transport
    for (const tab of ['Corpus', 'Train', 'Models']) {
      await page.getByRole('tab', { name: tab }).click();
      const g = await page.evaluate(() => {
        const views = document.querySelector('main.views') as HTMLElement;
        const transport = document.querySelector('[data-testid="transport"]')!.getBoundingClientRect();
        const panel = Array.from(views.children).find((c) => !(c as HTMLElement).hidden)!;
        const buttons = Array.from(panel.querySelectorAll('.panel-head button')).map((b) =>
          b.getBoundingClientRect(),
        );
        return {
          overflowX: views.scrollWidth - views.clientWidth,
          right: Math.max(0, ...buttons.map((r) => r.right)),
          bottom: Math.max(0, ...buttons.map((r) => r.bottom)),
          transportTop: transport.top,
          width: window.innerWidth,
        };
      });
      expect(g.overflowX, `${tab}: no horizontal overflow`).toBeLessThanOrEqual(0);
      expect(g.right, `${tab}: toolbar inside the window`).toBeLessThanOrEqual(g.width);
      expect(g.bottom, `${tab}: toolbar above the transport`).toBeLessThanOrEqual(g.transportTop);
      await page.screenshot({ path: screenshotPath(`layout-${width}x${height}-${tab.toLowerCase()}`) });
    }
    await page.getByRole('tab', { name: 'Generate' }).click();
    await roll().dblclick({ position: { x: box.width / 2, y: 9 } });
    await page.keyboard.press('l');
    await expect(page.getByTestId('loop')).toHaveAttribute('aria-pressed', 'false');
  });
}
