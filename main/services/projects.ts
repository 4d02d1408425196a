/**
 * Project files: Save As and Open. Under Electron the places come from native dialogs (`dialogs`);
 * the browser host saves into <userData>/projects/ and opens a project of the recent list or a file
 * the page sends. Each save or open puts the project first in the recent list. Opening validates the
 * whole file first: a damaged one is refused and changes nothing.
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { OpenedProject, ProjectRef, ProjectSource, Session } from '../shared/api.js';
import { exportFileName } from '../../model/index.js';
import { exists, parseProject, PROJECT_EXT, readProject, writeProject } from './project-file.js';
import type { RecentProjects } from './recent-projects.js';

export interface ProjectDialogs {
  /** Where to save (absolute path), or null when cancelled. */
  save(suggestedFileName: string): Promise<string | null>;
  /** Which file to open (absolute path), or null when cancelled. */
  open(): Promise<string | null>;
}

/** The display name of a project file: its name without the extension. */
export function projectName(path: string): string {
  const b = basename(path);
  const lower = b.toLowerCase();
  if (lower.endsWith(PROJECT_EXT)) return b.slice(0, -PROJECT_EXT.length);
  return lower.endsWith('.json') ? b.slice(0, -5) : b;
}

export class ProjectService {
  readonly dir: string;

  constructor(
    userDataDir: string,
    private readonly recent: RecentProjects,
    private readonly dialogs: ProjectDialogs | null = null,
  ) {
    this.dir = join(userDataDir, 'projects');
  }

  async saveAs(session: Session, name: string): Promise<ProjectRef | null> {
    const fileName = exportFileName(name, PROJECT_EXT, 'project');
    let path: string | null;
    if (this.dialogs) {
      path = await this.dialogs.save(fileName);
      if (!path) return null;
    } else {
      await fs.mkdir(this.dir, { recursive: true });
      path = join(this.dir, fileName);
    }
    await writeProject(path, session);
    const ref = { name: projectName(path), path };
    await this.recent.add(ref);
    return ref;
  }

  async open(source: ProjectSource): Promise<OpenedProject | null> {
    if (source.kind === 'file') {
      const session = parseProject(new TextDecoder().decode(source.file.data), source.file.name);
      return { project: { name: projectName(source.file.name), path: '' }, session };
    }
    let path: string | null;
    if (source.kind === 'dialog') {
      if (!this.dialogs) throw new Error('projectOpen: this host has no open dialog (pick a file instead)');
      path = await this.dialogs.open();
      if (!path) return null;
    } else {
      // Only a path the host itself listed: the page cannot name other files.
      if (!this.recent.has(source.path))
        throw new Error(`projectOpen: ${source.path} is not in the recent projects`);
      path = source.path;
    }
    if (!(await exists(path))) throw new Error(`The project ${path} is no longer there`);
    const session = await readProject(path);
    if (!session) throw new Error(`The project ${path} is no longer there`);
    const project = { name: projectName(path), path };
    await this.recent.add(project);
    return { project, session };
  }
}
