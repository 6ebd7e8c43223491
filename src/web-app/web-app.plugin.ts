import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { isServerPath } from './web-app.location';

// The agent app (web/, built by `npm run build:web` into dist/web) is served at `/`. Any other
// GET that is not a file and not one of the server's own paths gets index.html, so that a reload
// on /cases/<id> opens the app there (the app routes on the client).

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
