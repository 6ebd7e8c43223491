import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The built widget (npm run build:widget → dist/widget/widget.js), found from the package root
// whether the server runs compiled (dist/src/chat) or from sources (src/chat).
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

export const WIDGET_FILE = join(packageRoot(__dirname), 'dist', 'widget', 'widget.js');

export interface WidgetAsset {
  body: Buffer;
  etag: string;
}

// Read once and kept in memory; re-read when the file changes (a rebuild while running).
export class WidgetAssetCache {
  private cached: { mtimeMs: number; asset: WidgetAsset } | null = null;

  constructor(private readonly file = WIDGET_FILE) {}

  get(): WidgetAsset | null {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.file).mtimeMs;
    } catch {
      return null;
    }
    if (this.cached?.mtimeMs !== mtimeMs) {
      const body = readFileSync(this.file);
      this.cached = { mtimeMs, asset: { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` } };
    }
    return this.cached.asset;
  }
}
