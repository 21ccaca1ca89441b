import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiFailure } from './failure.js';
import { readLimited } from './project-disk.js';
import type { TemplateInfo } from '../../shared/api/contract.js';
import { parseProjectText } from '../../shared/project/parse.js';
import type { Project } from '../../shared/project/schema.js';

const SUFFIX = '.netcanvas.json';

export function defaultTemplatesDir(): string {
  // electron/backend → repository root (source) or dist/electron/backend → dist's parent.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '../../..') : path.resolve(here, '../..');
  return path.join(root, 'templates');
}

export class TemplateStore {
  constructor(private readonly dir: string) {}

  async list(): Promise<TemplateInfo[]> {
    const files = (await readdir(this.dir)).filter((f) => f.endsWith(SUFFIX)).sort();
    const infos: TemplateInfo[] = [];
    for (const file of files) {
      const project = await this.read(file);
      infos.push({ id: file.slice(0, -SUFFIX.length), name: project.name, description: project.description, ...(project.gallery ? { gallery: project.gallery } : {}), graph: project.graph });
    }
    return infos;
  }

  async load(id: string): Promise<Project | null> {
    if (!/^[a-z0-9-]+$/.test(id)) return null;
    try {
      return await this.read(`${id}${SUFFIX}`);
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  private async read(file: string): Promise<Project> {
    const parsed = parseProjectText((await readLimited(path.join(this.dir, file))).text, `template ${file}`);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.project;
  }
}
