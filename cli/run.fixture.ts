/** For the CLI tests (only test files import this): runs the CLI in-process and captures its output. */
import { runCli } from './main.js';

export async function runCaptured(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false });
  return { code, out, err };
}
