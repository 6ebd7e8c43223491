import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Where the built agent app lives, and which paths belong to the server rather than to it.

// Paths the app must never shadow: they answer as the server decides (a JSON 404 included).
const SERVER_PATHS = ['/api', '/webhooks', '/docs', '/docs-json', '/health', '/widget.js', '/socket.io'];

export function isServerPath(path: string): boolean {
  return SERVER_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

// dist/web next to the package.json, whether this file runs compiled (dist/src/web-app) or
// through ts-node (src/web-app).
export function webAppDir(from: string = __dirname): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    if (dirname(dir) === dir) return null;
  }
}

export type WebAppStatus = { served: true; root: string } | { served: false; reason: string };

export function webAppStatus(root: string | null = webAppDir()): WebAppStatus {
  if (!root) return { served: false, reason: 'no package.json above the server code' };
  if (!existsSync(join(root, 'index.html'))) return { served: false, reason: `${join(root, 'index.html')} is missing (run \`npm run build:web\`)` };
  return { served: true, root };
}
