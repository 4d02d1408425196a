/// <reference lib="dom" />
/**
 * Note editing on the piano roll, in Chromium against the local host with the bundled model: select
 * a note by clicking at its geometry, drag it (grid and pitch), move it with an arrow key, delete
 * one, change a velocity, undo every step back to the generated notes exactly, redo to the edited
 * ones exactly; delete a variation and undo it back in place; "Continue from here" with selected
 * notes generates new variations. The notes are read from the roll's data-notes attribute.
 */
import { expect, test, type Page } from '@playwright/test';
import { openGenerateView, screenshotPath } from './helpers.js';

test.describe.configure({ mode: 'serial' });

interface Note {
  pitch: number;
  time: number;
  duration: number;
  velocity: number;
}

let page: Page;
const pageErrors: string[] = [];
const KEYS_WIDTH = 44; // view.ts's layout
const RULER_HEIGHT = 18;

test.beforeAll(async ({ browser }) => {
  page = await openGenerateView(browser, pageErrors);
});

test.afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await page.close();
});

const roll = () => page.getByTestId('pianoroll');
const items = () => page.getByTestId('variations').locator('.variation');

async function notes(): Promise<Note[]> {
  return JSON.parse((await roll().getAttribute('data-notes')) ?? '[]') as Note[];
}

async function selected(): Promise<string> {
  return (await roll().getAttribute('data-selected')) ?? '';
}

/** Page coordinates of a point in a note (`at`: 0 = its start, 1 = its end) from the roll's view. */
async function notePoint(n: Note, at = 0.3): Promise<{ x: number; y: number; rowPx: number; secPx: number }> {
  const box = (await roll().boundingBox())!;
  const d = await roll().evaluate((el) => ({ ...(el as HTMLElement).dataset }));
  const start = Number(d.viewStart);
  const end = Number(d.viewEnd);
  const low = Number(d.low);
  const high = Number(d.high);
  const secPx = (box.width - KEYS_WIDTH) / (end - start);
  const rowPx = (box.height - RULER_HEIGHT) / (high - low + 1);
  return {
    x: box.x + KEYS_WIDTH + (n.time + n.duration * at - start) * secPx,
    y: box.y + RULER_HEIGHT + (high - n.pitch + 0.5) * rowPx,
    rowPx,
    secPx,
  };
}

/** A note wide enough to grab that no later note covers (later notes are drawn on top). */
function grabbable(all: Note[], secPx: number, skip: number[] = []): number {
  const i = all.findIndex(
    (n, k) =>
      !skip.includes(k) &&
      n.duration * secPx >= 24 &&
      !all.some(
        (m, j) =>
          j !== k && m.pitch === n.pitch && m.time < n.time + n.duration && m.time + m.duration > n.time,
      ),
  );
  expect(i, 'a note to grab').toBeGreaterThanOrEqual(0);
  return i;
}

test('select, drag, arrow, delete and velocity; undo all back exactly; redo exactly', async () => {
  await page.getByTestId('tempo').fill('120');
  await page.getByTestId('tempo').press('Enter');
  await page.locator('[data-field="bars"]').fill('4');
  await page.locator('[data-field="variations"]').fill('2');
  await page.locator('[data-field="seed"]').fill('21');
  await page.getByTestId('generate').click();
  await expect(items()).toHaveCount(2, { timeout: 120_000 });
  await expect(page.getByTestId('generate')).toHaveText('Generate', { timeout: 120_000 });
  const original = await notes();
  expect(original.length).toBeGreaterThan(4);
  const step = 60 / 120 / 4;

  // a click on a note selects it
  const { secPx } = await notePoint(original[0]!);
  const i = grabbable(original, secPx);
  let p = await notePoint(original[i]!);
  await page.mouse.click(p.x, p.y);
  await expect.poll(selected).toBe(String(i));

  // drag it two grid steps later and two semitones up: one edit
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  await page.mouse.move(p.x + step * p.secPx * 1.2, p.y - p.rowPx, { steps: 4 });
  await page.mouse.move(p.x + step * p.secPx * 2, p.y - p.rowPx * 2, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await notes())[i]!.pitch).toBe(original[i]!.pitch + 2);
  let now = await notes();
  expect(now[i]!.time).toBeCloseTo(Math.round((original[i]!.time + 2 * step) / step) * step, 6);
  expect(now.filter((_, k) => k !== i)).toEqual(original.filter((_, k) => k !== i));

  // Right moves the selection one grid step later, Shift+Up an octave up
  const before = now[i]!;
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await notes())[i]!.time).toBeCloseTo(before.time + step, 6);
  await page.keyboard.press('Shift+ArrowUp');
  await expect.poll(async () => (await notes())[i]!.pitch).toBe(Math.min(127, before.pitch + 12));

  // select another note and delete it
  now = await notes();
  const j = grabbable(now, secPx, [i]);
  p = await notePoint(now[j]!);
  await page.mouse.click(p.x, p.y);
  await expect.poll(selected).toBe(String(j));
  await page.keyboard.press('Delete');
  await expect.poll(async () => (await notes()).length).toBe(original.length - 1);

  // select the first note and change its velocity with the toolbar
  now = await notes();
  const k = grabbable(now, secPx);
  p = await notePoint(now[k]!);
  await page.mouse.click(p.x, p.y);
  await expect.poll(selected).toBe(String(k));
  await page.getByTestId('note-velocity').fill('40');
  await expect.poll(async () => (await notes())[k]!.velocity).toBeCloseTo(40 / 127, 6);
  const edited = await notes();
  await page.screenshot({ path: screenshotPath('edit-notes') });

  // five edits: drag, arrow, octave, delete, velocity (selection clicks are no undo steps)
  for (let s = 0; s < 5; s++) await page.keyboard.press('Control+z');
  await expect.poll(notes).toEqual(original);
  // nothing more to undo: no change (and the form's typing is not undone either)
  await page.keyboard.press('Control+z');
  expect(await notes()).toEqual(original);
  await expect(page.locator('[data-field="seed"]')).toHaveValue('21');
  for (let s = 0; s < 4; s++) await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+y');
  await expect.poll(notes).toEqual(edited);
});

test('a deleted variation comes back in place with undo', async () => {
  await page.keyboard.press('Escape'); // no notes selected: Delete takes the variation
  const ids = await items().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.piece));
  await items().first().getByTestId('variation-delete').click();
  await expect(items()).toHaveCount(1);
  await expect(items().first()).toHaveAttribute('data-piece', ids[1]!);
  await page.keyboard.press('Control+z');
  await expect(items()).toHaveCount(2);
  expect(await items().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.piece))).toEqual(ids);
  // the Delete key with no notes selected deletes the selected variation
  await items().nth(1).click();
  await page.keyboard.press('Delete');
  await expect(items()).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(items()).toHaveCount(2);
});

test('Continue from here: the selected notes prime new variations', async () => {
  await items().first().click();
  await roll().click({ position: { x: KEYS_WIDTH + 5, y: RULER_HEIGHT + 5 } });
  await page.keyboard.press('Control+a');
  await expect.poll(async () => (await selected()).split(',').length).toBe((await notes()).length);
  const ids = await items().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.piece));
  await page.getByTestId('continue-from-here').click();
  await expect
    .poll(async () => items().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.piece)), {
      timeout: 120_000,
    })
    .not.toEqual(ids);
  await expect(page.getByTestId('generate')).toHaveText('Generate', { timeout: 120_000 });
  await expect(items()).toHaveCount(2);
  // the new variation starts with the primer (the notes that were selected), then continues
  const primerNotes = Number(await roll().getAttribute('data-primer-notes'));
  expect(primerNotes).toBeGreaterThan(0);
  expect((await notes()).length).toBeGreaterThan(primerNotes);
  await page.screenshot({ path: screenshotPath('edit-continue') });
});
