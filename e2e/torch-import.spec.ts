/// <reference lib="dom" />
/**
 * Models panel → Import PyTorch result…: the result.json and weights.bin of a scale/train.py run
 * become a model of the library (selected), the app generates from it, and a damaged weight file
 * is refused with a readable message. Uses its own host process and a result written by the test
 * fixture (the same format; the real PyTorch path is `npm run test:scale`).
 */
import { test, expect } from '@playwright/test';
import { screenshotPath, startHost, type RunningHost } from './helpers.js';
import { torchResultFixture } from '../model/interop/interop.fixture.js';

let host: RunningHost | null = null;

test.afterAll(async () => {
  await host?.stop();
});

test('a PyTorch result is imported from the models panel and generates', async ({ page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  host = await startHost();
  await page.goto(host.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await page.getByRole('tab', { name: 'Models' }).click();
  const list = page.getByTestId('model-list');
  const before = await list.locator('.model-card').count();
  const fx = torchResultFixture(2, 'Trained with PyTorch');

  const damaged = Buffer.from(fx.weights);
  damaged[3] ^= 0xff;
  await page.getByTestId('import-torch-input').setInputFiles([
    { name: 'result.json', mimeType: 'application/json', buffer: Buffer.from(fx.resultJson) },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: damaged },
  ]);
  await expect(page.locator('.toast-error').last()).toContainText(
    'Could not import the PyTorch model: result.json: weights.bin does not match its SHA-256',
  );
  await expect(list.locator('.model-card')).toHaveCount(before);

  await page.getByTestId('import-torch-input').setInputFiles([
    { name: 'result.json', mimeType: 'application/json', buffer: Buffer.from(fx.resultJson) },
    { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(fx.weights) },
  ]);
  await expect(list.locator('.model-card')).toHaveCount(before + 1);
  await expect(list.locator('.model-card.selected')).toContainText('Trained with PyTorch');
  await page.getByTestId('models-panel').screenshot({ path: screenshotPath('models-torch-import') });

  await page.getByRole('tab', { name: 'Generate' }).click();
  await page.locator('[data-field="primer"]').selectOption('none');
  await page.locator('[data-field="bars"]').fill('2');
  await page.locator('[data-field="variations"]').fill('1');
  await page.getByTestId('generate').click();
  const items = page.getByTestId('variations').locator('.variation');
  await expect(items).toHaveCount(1, { timeout: 120_000 });
  await expect(items.first()).toContainText('2 bars');
  expect(pageErrors).toEqual([]);
});
