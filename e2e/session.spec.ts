/// <reference lib="dom" />
/**
 * Nothing is lost: the generated pieces and the selection come back after a reload (the host's
 * session), and a project saved with Save Project As… brings its pieces back from the Recent menu
 * after other pieces were generated. The notes are compared exactly through each piece's MIDI
 * export (the host writes it from the page's own notes). Screenshot: test-results/screenshots/.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { appUrl, screenshotPath } from './helpers.js';

test.describe.configure({ mode: 'serial' });

let page: Page;
const pageErrors: string[] = [];

const items = () => page.getByTestId('variations').locator('.variation');

async function open(): Promise<void> {
  await page.goto(appUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', {
    timeout: 30_000,
  });
  await page.getByRole('tab', { name: 'Generate' }).click();
  await expect(page.locator('[data-field="model"] option').first()).toHaveText(/bundled/);
}

async function generate(variations: number, seed: number): Promise<void> {
  await page.locator('[data-field="bars"]').fill('2');
  await page.locator('[data-field="variations"]').fill(String(variations));
  await page.locator('[data-field="seed"]').fill(String(seed));
  await page.getByTestId('generate').click();
  await expect(items()).toHaveCount(variations, { timeout: 120_000 });
  await expect(page.getByTestId('generate')).toHaveText('Generate', { timeout: 120_000 });
}

/** What the page holds: each piece's id and MIDI file (base64), and the selected piece's id. */
async function snapshot(): Promise<{ ids: string[]; midi: string[]; selected: string | null }> {
  const ids = await items().evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.piece!));
  const midi: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      items().nth(i).getByTestId('variation-midi').click(),
    ]);
    midi.push(readFileSync((await download.path())!).toString('base64'));
  }
  const selected = await page
    .getByTestId('variations')
    .locator('.variation.selected')
    .getAttribute('data-piece');
  return { ids, midi, selected };
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await open();
});

test.afterAll(async () => {
  expect(pageErrors).toEqual([]);
  await page.close();
});

test('reload: the same pieces (same notes) and the same selection come back', async () => {
  await generate(3, 101);
  await items().nth(1).click();
  await expect(items().nth(1)).toHaveClass(/selected/);
  const before = await snapshot();
  expect(before.selected).toBe(before.ids[1]);
  await page.waitForTimeout(800); // the autosave runs 300 ms after the last change
  await page.reload();
  await open();
  await expect(items()).toHaveCount(3);
  expect(await snapshot()).toEqual(before);
});

test('Save Project As…, generate other pieces, open it from Recent: the saved pieces are back', async () => {
  const saved = await snapshot();
  await page.getByTestId('save-project-as').click();
  await page.getByTestId('project-name').fill('Session test');
  await page.getByTestId('project-save').click();
  await expect(page.getByTestId('project-save-dialog')).not.toBeVisible();
  await expect(page.locator('.toast', { hasText: 'Saved project “Session test”' })).toBeVisible();

  await generate(2, 202);
  expect((await snapshot()).ids).not.toEqual(saved.ids);

  await page.getByTestId('recent-menu').locator('summary').click();
  const entry = page.getByTestId('recent-menu').getByTestId('recent-project').first();
  await expect(entry).toHaveText('Session test');
  await page.screenshot({ path: screenshotPath('session-recent-menu') });
  await entry.click();
  await expect(items()).toHaveCount(3);
  expect(await snapshot()).toEqual(saved);
  await page.screenshot({ path: screenshotPath('session-project-opened') });
});

test('a damaged project file is refused with a clear message and changes nothing', async () => {
  const before = await snapshot();
  await page.getByTestId('open-project').click();
  await page.getByTestId('project-file-input').setInputFiles({
    name: 'broken.ostinato.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "ostinato-project", "version": 1, "session": {"pieces": 3}}'),
  });
  await expect(page.getByTestId('project-open-dialog').getByTestId('project-error')).toContainText(
    'broken.ostinato.json could not be opened: session.pieces must be an array',
  );
  await page.screenshot({ path: screenshotPath('session-damaged-project') });
  await page.getByTestId('project-open-dialog').getByRole('button', { name: 'Cancel' }).click();
  expect(await snapshot()).toEqual(before);
});
