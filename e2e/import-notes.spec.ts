/// <reference lib="dom" />
/**
 * The corpus panel says what each import kept, changed or left out: the sustain pedal held (or not,
 * with the switch off), pitch bends and controllers ignored, and why a drums-only file gives nothing
 * to train on. Files built in code (model/midi/corpus.fixture.ts). Uses its own host process.
 */
import { test, expect } from '@playwright/test';
import { screenshotPath, startHost, type RunningHost } from './helpers.js';
import { drumsOnly, pedalPiano, pitchBends } from '../model/midi/corpus.fixture.js';

let host: RunningHost | null = null;

test.afterAll(async () => {
  await host?.stop();
});

const asUpload = (c: { name: string; bytes: Uint8Array }) => ({
  name: c.name,
  mimeType: 'audio/midi',
  buffer: Buffer.from(c.bytes),
});

test('the corpus panel shows each file import notes, why a file cannot train, and the sustain switch', async ({
  page,
}) => {
  host = await startHost();
  await page.goto(host.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await page.getByRole('tab', { name: 'Corpus' }).click();
  await page
    .getByTestId('import-files-input')
    .setInputFiles([asUpload(pedalPiano()), asUpload(pitchBends()), asUpload(drumsOnly())]);
  await expect(page.getByTestId('import-summary')).toContainText('Last import: 3 imported');
  const rows = page.getByTestId('corpus-table').locator('tbody tr');
  const drums = rows.filter({ hasText: 'drums.mid' });
  await expect(drums.getByTestId('untrainable')).toContainText(
    'nothing to train on: all 16 note(s) are on the drum channel (10)',
  );
  const bends = rows.filter({ hasText: 'bends.mid' });
  await bends.getByTestId('file-warnings').locator('summary').click();
  await expect(bends.getByTestId('file-warnings')).toContainText('102 pitch bends ignored');
  await expect(bends.getByTestId('file-warnings')).toContainText('CC1 modulation ×20');
  const pedal = rows.filter({ hasText: 'pedal-piano.mid' });
  await expect(pedal.getByTestId('file-warnings')).toContainText('1 import note');
  await pedal.getByTestId('file-warnings').locator('summary').click();
  await expect(pedal.getByTestId('file-warnings')).toContainText(
    'sustain pedal: 4 notes held through the pedal',
  );
  await page.getByTestId('corpus-panel').screenshot({ path: screenshotPath('corpus-import-notes') });

  // The same file again with the pedal switched off: remove it, untick, import.
  await pedal.locator('.col-actions button').click();
  await expect(rows).toHaveCount(2);
  await page.getByTestId('import-sustain').uncheck();
  await page.getByTestId('import-files-input').setInputFiles([asUpload(pedalPiano())]);
  await expect(page.getByTestId('import-summary')).toContainText('Last import: 1 imported');
  const keys = rows.filter({ hasText: 'pedal-piano.mid' });
  await keys.getByTestId('file-warnings').locator('summary').click();
  await expect(keys.getByTestId('file-warnings')).toContainText('sustain pedal not applied: 7 pedal events');
});
