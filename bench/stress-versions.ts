/**
 * Self-checking version files for the kill-during-save tests: each version is a JSON document carrying
 * the SHA-256 of its body, so a reader can tell a complete version from a torn or mixed one.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface VersionFile {
  version: number;
  body: string;
  sha256: string;
}

export function makeVersion(version: number, bytes: number): string {
  // Content differs per version everywhere, so a mix of two versions cannot pass the hash.
  const unit = `v${version}-` + createHash('sha256').update(String(version)).digest('hex');
  const body = unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
  const doc: VersionFile = { version, body, sha256: createHash('sha256').update(body).digest('hex') };
  return JSON.stringify(doc);
}

/** Parses a version file and checks its hash; returns the version or throws why it is not whole. */
export function checkVersionFile(path: string): number {
  const text = readFileSync(path, 'utf8');
  let doc: VersionFile;
  try {
    doc = JSON.parse(text) as VersionFile;
  } catch (e) {
    throw new Error(`${path} does not parse (${text.length} bytes): ${(e as Error).message}`);
  }
  const sha = createHash('sha256').update(doc.body).digest('hex');
  if (sha !== doc.sha256) throw new Error(`${path}: version ${doc.version} is torn (hash mismatch)`);
  return doc.version;
}
