/**
 * Finds a Python with PyTorch for the interop tests and `npm run test:scale` (never used by the app):
 * $OSTINATO_PYTHON, then Debian's /usr/bin/python3 (python3-torch), then the first python3 on PATH.
 * A python without torch (a pyenv one, say) is passed over.
 */
import { spawnSync } from 'node:child_process';

let found: string | null | undefined;

export function findTorchPython(): string | null {
  if (found !== undefined) return found;
  const candidates = [process.env.OSTINATO_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string =>
    Boolean(c),
  );
  found = null;
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore', timeout: 60_000 });
    if (r.status === 0) {
      found = py;
      break;
    }
  }
  return found;
}
