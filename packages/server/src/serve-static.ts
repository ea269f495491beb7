import { createReadStream, type Stats, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves files under `root` (the dashboard's build). Paths that leave `root` are refused; an
 * unknown path without an extension falls back to `index.html` (client-side routes).
 * Returns false when nothing was found, so the caller can answer 404.
 */
export function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): boolean {
  const base = resolve(root);
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
  } catch {
    return false;
  }
  if (pathname.includes('\0')) return false;
  let file = normalize(join(base, pathname));
  if (file !== base && !file.startsWith(base + sep)) return false;
  let stats = statOrUndefined(file);
  if (stats?.isDirectory()) {
    file = join(file, 'index.html');
    stats = statOrUndefined(file);
  }
  if (!stats && extname(pathname) === '') {
    file = join(base, 'index.html');
    stats = statOrUndefined(file);
  }
  if (!stats?.isFile()) return false;
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': stats.size,
    'x-content-type-options': 'nosniff',
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600',
  });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
  return true;
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
