import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

// The agent app (web/, built by `npm run build:web` into dist/web) is served at `/`. Any other
// GET that is not a file and not one of the server's own paths gets index.html, so that a reload
// on /cases/<id> opens the app there (the app routes on the client).

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

export function webAppPlugin(root: string) {
  // Encapsulated (no fastify-plugin): reply.sendFile stays local to these routes.
  return async (instance: FastifyInstance): Promise<void> => {
    await instance.register(fastifyStatic, {
      root,
      // One route per built file: a wildcard here would compete with the SPA fallback below.
      wildcard: false,
      setHeaders: (reply, path) => {
        // Vite puts a content hash in every asset name; index.html must always be revalidated.
        reply.header('cache-control', path.startsWith(join(root, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    instance.get('/*', (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      // Unknown server paths keep their JSON 404; a path with an extension is a missing file.
      if (isServerPath(path) || /\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  };
}
