/// <reference lib="dom" />
/**
 * The key flows against the Electron app (preload API instead of the WebSocket): import with a bad
 * file, short training with cancel, generation, playback with a moving playhead and the space bar.
 * Where no Electron runtime is installed (it cannot be downloaded on the build machine) the tests
 * are skipped with the reason "skipped: no Electron runtime".
 */
import { test, expect, type ElectronApplication, type Page } from '@playwright/test';
import { _electron } from 'playwright';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronBinary } from './electron-runtime.js';
import {
  importWithBadFile,
  nottinghamFiles,
  repoRoot,
  screenshotPath,
  startLongTraining,
} from './helpers.js';

const binary = electronBinary();
// The list reporter does not print skip reasons: say it once, plainly, in the test output.
if (!binary) console.log('electron.spec.ts: skipped: no Electron runtime (its binary is not installed here)');
test.skip(!binary, 'skipped: no Electron runtime');
test.describe.configure({ mode: 'serial' });

let app: ElectronApplication;
let page: Page;
let userData: string;

test.beforeAll(async () => {
  const root = repoRoot();
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`tsc build failed:\n${build.stdout}${build.stderr}`);
  userData = mkdtempSync(join(tmpdir(), 'ostinato-electron-'));
  app = await _electron.launch({
    executablePath: binary!,
    args: [
      root,
      '--no-sandbox',
      '--disable-gpu',
      '--autoplay-policy=no-user-gesture-required',
      '--user-data',
      userData,
    ],
    cwd: root,
    env: { ...process.env, OSTINATO_USER_DATA: userData },
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

test('electron: the preload API is there and the host is Electron', async () => {
  expect(await page.evaluate(() => typeof (window as unknown as { ostinato?: unknown }).ostinato)).toBe(
    'object',
  );
  const info = await page.evaluate(() =>
    (window as unknown as { ostinato: { info(): Promise<{ host: string }> } }).ostinato.info(),
  );
  expect(info.host).toBe('electron');
});

test('electron: imports files, reporting the bad one', async () => {
  const [a, b] = nottinghamFiles(2, 20);
  await importWithBadFile(page, [a!, b!]);
  await expect(page.getByTestId('import-summary')).toContainText('2 imported');
  await expect(page.getByTestId('import-summary')).toContainText('bad.mid');
  await page.getByTestId('corpus-panel').screenshot({ path: screenshotPath('electron-corpus') });
});

test('electron: trains briefly and cancels', async () => {
  await page.getByRole('tab', { name: 'Train' }).click();
  await startLongTraining(page, 'electron e2e');
  await page.getByTestId('train-cancel').click();
  await expect(page.getByTestId('train-status')).toContainText(/cancelled/i, { timeout: 60_000 });
});

test('electron: generates, plays with a moving playhead, space bar toggles', async () => {
  await page.getByRole('tab', { name: 'Generate' }).click();
  await page.locator('[data-field="bars"]').fill('4');
  await page.locator('[data-field="variations"]').fill('2');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('variations').locator('.variation')).toHaveCount(2, { timeout: 120_000 });
  await page.getByTestId('instrument').selectOption('synth');
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('data-state', 'playing');
  await expect
    .poll(async () => Number(await page.getByTestId('pianoroll').getAttribute('data-playhead')), {
      timeout: 10_000,
    })
    .toBeGreaterThan(0.5);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toHaveAttribute('data-state', 'stopped');
  await page.getByTestId('generate-panel').screenshot({ path: screenshotPath('electron-generate') });
});
