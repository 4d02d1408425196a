/// <reference lib="dom" />
/**
 * When the host process goes away the page says so (connection state and a readable message) and
 * actions fail with a clear error instead of doing nothing. Uses its own host process.
 */
import { test, expect } from '@playwright/test';
import { screenshotPath, startHost, type RunningHost } from './helpers.js';

let host: RunningHost | null = null;

test.afterAll(async () => {
  await host?.stop();
});

test('the host going away is reported, and actions fail readably', async ({ page }) => {
  host = await startHost();
  await page.goto(host.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  await host.stop();
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', /disconnected|connecting/);
  await expect(page.locator('.toast-error')).toContainText('Lost the connection to the Ostinato host');
  await page.getByRole('tab', { name: 'Models' }).click();
  await page.getByTestId('open-model-input').setInputFiles({
    name: 'x.ostinato',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('abc'),
  });
  await expect(page.locator('.toast-error').last()).toContainText(
    /Cannot reach the Ostinato host|Connection to the Ostinato host lost/,
    {
      timeout: 20_000,
    },
  );
  await page.screenshot({ path: screenshotPath('host-gone') });
});
