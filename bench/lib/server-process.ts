import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { cpuCount, freePort, hasTaskset, log, sleep } from './util';

// One server under test, in its own process (pinned to core 0 when possible) so that its CPU is
// its own. Talks to the bench over IPC: `ready` once listening, `stats` on request.

export interface ServerStats {
  cpuMs: number; // user + system since the process started
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  eld: { p50: number; p99: number; max: number; mean: number }; // ms, since the last reset
}

export interface ServerHandle {
  name: string;
  pid: number;
  port: number;
  url: string;
  stats(options?: { resetEld?: boolean; gc?: boolean }): Promise<ServerStats>;
  // A custom IPC request; the child answers {type: 'reply', id, ...}.
  request<T = any>(msg: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export const RESULTS_DIR = join(__dirname, '..', '..', '..', 'bench', 'results');

export interface SpawnOptions {
  name: string;
  script: string; // compiled JS path
  env: Record<string, string>;
  nodeArgs?: string[];
  core?: number;
  nofile?: number;
}

let nofileHard: number | undefined;
export function hardNofile(): number {
  if (nofileHard === undefined) {
    try {
      nofileHard = Number(require('node:child_process').execFileSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim()) || 1024;
    } catch {
      nofileHard = 1024;
    }
  }
  return nofileHard;
}

const live = new Set<ChildProcess>();
export function killAllChildren(): void {
  for (const c of live) {
    try {
      c.kill('SIGKILL');
    } catch {
      // gone
    }
  }
}

export async function spawnServer(options: SpawnOptions): Promise<ServerHandle> {
  const port = options.env.PORT ? Number(options.env.PORT) : await freePort();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logFd = openSync(join(RESULTS_DIR, `${options.name}.log`), 'w');
  const nofile = Math.min(options.nofile ?? 65535, hardNofile());
  const nodeCmd = [process.execPath, ...(options.nodeArgs ?? []), options.script].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const inner = `ulimit -n ${nofile} 2>/dev/null || true; exec ${nodeCmd}`;
  const pin = options.core !== undefined && hasTaskset() && cpuCount() >= 2;
  const [cmd, args] = pin ? ['taskset', ['-c', String(options.core), 'bash', '-c', inner]] : ['bash', ['-c', inner]];
  const child = spawn(cmd, args, {
    env: { ...process.env, ...options.env, PORT: String(port) },
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  closeSync(logFd);
  live.add(child);
  let exited = false;
  child.on('exit', (code, signal) => {
    exited = true;
    live.delete(child);
    if (code !== 0 && signal !== 'SIGKILL') log(`${options.name} exited code=${code} signal=${signal} (see bench/results/${options.name}.log)`);
  });

  const pending = new Map<number, (s: any) => void>();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start in 60 s`)), 60_000);
    child.on('exit', () => reject(new Error(`${options.name} exited before ready (see bench/results/${options.name}.log)`)));
    child.on('message', (msg: any) => {
      if (msg?.type === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (msg?.type === 'stats') {
        pending.get(msg.id)?.(msg.stats as ServerStats);
        pending.delete(msg.id);
      } else if (msg?.type === 'reply') {
        pending.get(msg.id)?.(msg);
        pending.delete(msg.id);
      }
    });
  });
  await ready;
  return {
    name: options.name,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    stats: (o = {}) =>
      new Promise<ServerStats>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, resolve);
        child.send({ type: 'stats', id, ...o });
        setTimeout(() => {
          if (pending.delete(id)) reject(new Error(`${options.name}: no stats answer`));
        }, 20_000);
      }),
    request: (msg, timeoutMs = 300_000) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, resolve);
        child.send({ ...msg, id });
        setTimeout(() => {
          if (pending.delete(id)) reject(new Error(`${options.name}: no answer to ${String(msg.type)}`));
        }, timeoutMs);
      }),
    stop: async () => {
      if (exited) return;
      child.send({ type: 'stop' });
      const until = Date.now() + 15_000;
      while (!exited && Date.now() < until) await sleep(25);
      if (!exited) child.kill('SIGKILL');
    },
  };
}
