import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, log, sleep } from './util';

// The database every server of the bench writes to: BENCH_DATABASE_URL, or a throwaway
// PostgreSQL cluster started here (durable settings: synchronous_commit=on, fsync=on).
export interface PgCluster {
  adminUrl: string;
  // Pid of the postmaster when the cluster is ours (for CPU accounting), else null.
  postmasterPid: number | null;
  createDatabase(name: string): Promise<string>;
  // utime+stime (+ reaped children) of every process of the cluster, in ms; null if unknown.
  cpuMs(): number | null;
  stop(): Promise<void>;
}

const CLK_TCK = 100;

function findBin(name: string): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const p = join(root, v, 'bin', name);
      if (existsSync(p)) return p;
    }
  }
  try {
    return execFileSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`PostgreSQL binary ${name} not found (install postgresql or set BENCH_DATABASE_URL)`);
  }
}

function asPostgres(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [cmd, args];
  return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
}

function procStat(pid: number): { ppid: number; ticks: number; childTicks: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime is field 14 → index 11.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), childTicks: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null;
  }
}

export function processCpuMs(pid: number): number | null {
  const s = procStat(pid);
  return s ? (s.ticks * 1000) / CLK_TCK : null;
}

async function createDb(adminUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startCluster(): Promise<PgCluster> {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) {
    const created: string[] = [];
    return {
      adminUrl: external,
      postmasterPid: null,
      createDatabase: async (name) => {
        created.push(name);
        return createDb(external, name);
      },
      cpuMs: () => null,
      stop: async () => {
        const admin = new Client({ connectionString: external });
        await admin.connect();
        for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
        await admin.end();
      },
    };
  }

  const initdb = findBin('initdb');
  const postgres = findBin('postgres');
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-pg-'));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const [c1, a1] = asPostgres(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  execFileSync(c1, a1, { stdio: 'ignore' });
  const port = await freePort();
  const [c2, a2] = asPostgres(postgres, [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'synchronous_commit=on', '-c', 'fsync=on', '-c', 'max_connections=300',
    '-c', 'shared_buffers=512MB', '-c', 'max_wal_size=4GB', '-c', 'log_min_messages=warning',
  ]);
  log(`starting PostgreSQL (${postgres}) on port ${port} in ${dir}`);
  const child: ChildProcess = spawn(c2, a2, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`postgres exited during start:\n${stderr}`);
    const c = new Client({ connectionString: adminUrl });
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      break;
    } catch {
      await c.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not become ready:\n${stderr}`);
      await sleep(100);
    }
  }
  // With runuser the postmaster is runuser's child.
  const postmasterPid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);

  return {
    adminUrl,
    postmasterPid,
    createDatabase: (name) => createDb(adminUrl, name),
    cpuMs: () => {
      const root = procStat(postmasterPid);
      if (!root) return null;
      let ticks = root.ticks + root.childTicks;
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const s = procStat(Number(entry));
        if (s && s.ppid === postmasterPid) ticks += s.ticks;
      }
      return (ticks * 1000) / CLK_TCK;
    },
    stop: async () => {
      if (!exited) {
        try {
          process.kill(postmasterPid, 'SIGINT'); // fast shutdown
        } catch {
          // already gone
        }
        const until = Date.now() + 15_000;
        while (!exited && Date.now() < until) await sleep(50);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
