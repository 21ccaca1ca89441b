import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { contentType } from '../files/content-types.js';
import { isInside, realOrNearest } from '../files/inside.js';

/** The path asked for, decoded, or why it cannot be used as one. */
function decodeUrlPath(urlPath: string): { ok: true; path: string } | { ok: false; message: string } {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return { ok: false, message: 'The path has a broken %-escape (a % must be followed by two hex digits of valid UTF-8).' };
  }
  if (decoded.includes('\0')) return { ok: false, message: 'The path contains a NUL byte (%00).' };
  return { ok: true, path: decoded };
}

/**
 * Serves files from `root`, never outside it: links are resolved and what is served is the real
 * path, which must be inside `root`'s. Unknown paths get index.html (a single-page app).
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  const decoded = decodeUrlPath(urlPath);
  if (!decoded.ok) {
    res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(`Bad request: ${decoded.message}\n`);
    return;
  }
  const realRoot = await realOrNearest(root);
  const target = await realOrNearest(path.resolve(realRoot, `.${decoded.path}`));
  let file = isInside(realRoot, target) ? target : path.join(realRoot, 'index.html');
  try {
    if (!(await stat(file)).isFile()) file = path.join(realRoot, 'index.html');
  } catch {
    file = path.join(realRoot, 'index.html');
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { ...headers, 'Content-Type': contentType(file) });
    res.end(body);
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The app has not been built: run "npm run build:renderer".\n');
  }
}
