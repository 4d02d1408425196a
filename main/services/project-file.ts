/**
 * The project file format (`<name>.ostinato.json`): a format tag, a version and the session. Also
 * the session file's format (<userData>/session.json), so both are read and checked by one decoder.
 * Decoding validates everything (main/shared/validate.ts): a damaged file is refused with a message
 * that names the file and the reason.
 */
import { promises as fs } from 'node:fs';
import type { Session } from '../shared/api.js';
import { checkObject, checkSession } from '../shared/validate.js';
import { writeJsonAtomic } from '../../model/index.js';
import { readJsonFile } from './util.js';

export const PROJECT_FORMAT = 'ostinato-project';
export const PROJECT_VERSION = 1;
export const PROJECT_EXT = '.ostinato.json';

export function encodeProject(session: Session): unknown {
  return { format: PROJECT_FORMAT, version: PROJECT_VERSION, session };
}

/** The session of a parsed project file; a clear error naming `where` when it is not one. */
export function decodeProject(raw: unknown, where: string): Session {
  try {
    const o = checkObject(raw, 'the file');
    if (o.format !== PROJECT_FORMAT) throw new Error('it is not an Ostinato project (no "format" tag)');
    if (o.version !== PROJECT_VERSION)
      throw new Error(
        `its version ${String(o.version)} is not supported (this app reads ${PROJECT_VERSION})`,
      );
    return checkSession(o.session, 'session');
  } catch (err) {
    throw new Error(`${where} could not be opened: ${(err as Error).message}`, { cause: err });
  }
}

/** Parses the text of a project file (a file the user picked in the page). */
export function parseProject(text: string, where: string): Session {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where} could not be opened: it is not valid JSON (${(err as Error).message})`, {
      cause: err,
    });
  }
  return decodeProject(raw, where);
}

/** Reads a project file; undefined when there is none. */
export async function readProject(path: string): Promise<Session | undefined> {
  const raw = await readJsonFile(path);
  return raw === undefined ? undefined : decodeProject(raw, path);
}

export async function writeProject(path: string, session: Session): Promise<void> {
  await writeJsonAtomic(path, encodeProject(session));
}

/** Whether a file exists (a project listed in the recent list may have been moved since). */
export async function exists(path: string): Promise<boolean> {
  return fs.access(path).then(
    () => true,
    () => false,
  );
}
