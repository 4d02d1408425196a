/// <reference lib="dom" />
/** Shared helpers of the end-to-end tests (Node side). */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';

export function repoRoot(): string {
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

/** The Nottingham MIDI files (../shared/data/nottingham-midi, from the repository root). */
export function nottinghamDir(): string {
  return resolve(repoRoot(), '../shared/data/nottingham-midi');
}

export function nottinghamFiles(count: number, offset = 0): string[] {
  const dir = nottinghamDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mid'))
    .sort()
    .slice(offset, offset + count)
    .map((f) => join(dir, f));
}

export function screenshotPath(name: string): string {
  const dir = join(repoRoot(), 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** Random bytes (seeded) that are certainly not a MIDI file. */
export function badBytes(n = 600, seed = 7): Buffer {
  const out = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out[i] = s & 0xff;
  }
  out[0] = 0x42; // never "MThd"
  return out;
}

/**
 * Imports through the corpus panel's file chooser the given MIDI files and one file of random bytes
 * named bad.mid (which the import must report while it keeps the others).
 */
export async function importWithBadFile(page: Page, paths: string[]): Promise<void> {
  await page.getByRole('tab', { name: 'Corpus' }).click();
  await page
    .getByTestId('import-files-input')
    .setInputFiles([
      ...paths.map((p) => ({ name: basename(p), mimeType: 'audio/midi', buffer: readFileSync(p) })),
      { name: 'bad.mid', mimeType: 'audio/midi', buffer: badBytes() },
    ]);
}

/** Drops files on the window the way a file manager would: a drop event with a DataTransfer. */
/**
 * Starts a training run that is sure to be still running a few seconds later on any machine: a
 * model large enough (2 x 512) that an epoch of the small e2e corpus takes seconds, so early
 * stopping (4 epochs without improvement) cannot end it before the test has looked and cancelled.
 * Waits until the first progress arrives.
 */
export async function startLongTraining(page: Page, name: string): Promise<void> {
  for (const [field, value] of [
    ['name', name],
    ['epochs', '200'],
    ['maxSeconds', '0'],
    ['hiddenSize', '512'],
    ['numLayers', '2'],
    ['embeddingDim', '16'],
    ['seqLen', '64'],
    ['batchSize', '16'],
    ['learningRate', '0.0005'],
    ['transpose', '5'],
  ] as const)
    await page.locator(`[data-field="${field}"]`).fill(value);
  await page.getByTestId('train-start').click();
  const progress = page.getByTestId('train-progress');
  await expect
    .poll(async () => Number(await progress.getAttribute('data-progress')), { timeout: 90_000 })
    .toBeGreaterThan(0);
}

export async function dropFiles(page: Page, files: { name: string; path: string }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, b64: readFileSync(f.path).toString('base64') }));
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bytes = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], it.name, { type: 'audio/midi' }));
    }
    const target = document.querySelector('main') ?? document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, payload);
}

export function appUrl(): string {
  const url = process.env.OSTINATO_E2E_URL;
  if (!url) throw new Error('OSTINATO_E2E_URL is not set: run through playwright (e2e/global-setup.ts)');
  return url;
}

export interface RunningHost {
  url: string;
  userData: string;
  stop(): Promise<void>;
}

/**
 * Starts the local host (`node scripts/serve.mjs --port 0 --user-data <fresh tmp> --no-build`;
 * OSTINATO_E2E_SERVE names another serve script) and waits for the URL it prints.
 */
export async function startHost(): Promise<RunningHost> {
  const root = repoRoot();
  const userData = mkdtempSync(join(tmpdir(), 'ostinato-e2e-'));
  const serve = process.env.OSTINATO_E2E_SERVE ?? join(root, 'scripts/serve.mjs');
  const child = spawn(process.execPath, [serve, '--port', '0', '--user-data', userData, '--no-build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BROWSER: 'none' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the host did not print its URL within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (code ${code}) before it was ready:\n${output}`));
    });
  });
  return {
    url,
    userData,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(userData, { recursive: true, force: true });
    },
  };
}

/** A new page on the app, connected, in the Generate view with the bundled model listed; page
 * errors are collected into `errors`. */
export async function openGenerateView(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(appUrl());
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected', {
    timeout: 30_000,
  });
  await page.getByRole('tab', { name: 'Generate' }).click();
  await expect(page.locator('[data-field="model"] option').first()).toHaveText(/bundled/);
  return page;
}
