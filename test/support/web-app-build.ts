import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WIDGET_FILE } from '../../src/chat/widget-asset';

const ROOT = join(__dirname, '..', '..');
// stdout stays off the test runner's own stdout; a failure carries it (tsc reports there).
function node(script: string, ...args: string[]): void {
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`${script} ${args.join(' ')} failed\n${output}`);
  }
}
const vite = (config: string) => node('vite/bin/vite.js', 'build', '--config', join(ROOT, config), '--logLevel', 'warn');

// The server serves dist/web (the agent app) and dist/widget/widget.js: the suites build them
// when missing or older than their sources, so that `npm ci && npm test` works on a fresh clone
// and a changed app or widget is never tested stale.
export function ensureWebAppBuilt(): void {
  if (isFresh(join(ROOT, 'dist', 'web', 'index.html'), join(ROOT, 'web'))) return;
  vite('web/vite.config.mts');
}

// As `npm run build:widget`: type-checked first (the root tsconfig leaves widget/ out).
export function ensureWidgetBuilt(): void {
  if (isFresh(WIDGET_FILE, join(ROOT, 'widget'))) return;
  node('typescript/bin/tsc', '-p', join(ROOT, 'widget', 'tsconfig.json'));
  vite('widget/vite.config.mts');
}

function isFresh(output: string, sources: string): boolean {
  return existsSync(output) && statSync(output).mtimeMs >= newestMtime(sources);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
