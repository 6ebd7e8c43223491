import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isServerPath, webAppDir, webAppStatus } from './web-app.location';

describe('agent app serving', () => {
  it('never shadows the API, webhooks, docs, health, the widget or socket.io', () => {
    for (const path of ['/api', '/api/v1/cases', '/webhooks/abc', '/docs', '/docs/static/x.css', '/docs-json', '/health', '/widget.js', '/socket.io/']) {
      expect(isServerPath(path)).toBe(true);
    }
    for (const path of ['/', '/cases/0b9f8a3c-1111-4222-8333-444455556666', '/queues', '/apis', '/healthy', '/docsets']) {
      expect(isServerPath(path)).toBe(false);
    }
  });

  it('finds dist/web next to package.json, and says why when the app is not built', () => {
    const root = mkdtempSync(join(tmpdir(), 'parley-web-'));
    try {
      writeFileSync(join(root, 'package.json'), '{}');
      mkdirSync(join(root, 'dist', 'src', 'web-app'), { recursive: true });
      const dir = webAppDir(join(root, 'dist', 'src', 'web-app'));
      expect(dir).toBe(join(root, 'dist', 'web'));
      expect(webAppStatus(dir)).toEqual({ served: false, reason: expect.stringContaining('npm run build:web') });
      mkdirSync(join(root, 'dist', 'web'));
      writeFileSync(join(root, 'dist', 'web', 'index.html'), '<!doctype html>');
      expect(webAppStatus(dir)).toEqual({ served: true, root: join(root, 'dist', 'web') });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
