import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// Summary of V8 .cpuprofile files (node --cpu-prof). Shares are of busy samples (idle excluded):
// self time by function and by package, and inclusive time of the project's own functions
// (dist/src, dist/channels) and of each package as a whole.
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface HotSpot {
  where: string;
  sharePct: number;
}

export interface ProfileSummary {
  busySamples: number;
  idleSharePct: number;
  selfByFunction: HotSpot[];
  selfByPackage: HotSpot[];
  inclusiveProjectFunctions: HotSpot[];
  inclusiveByPackage: HotSpot[];
}

// `windows`: [from, to] spans in microseconds of the monotonic clock (process.hrtime), which is
// also the profile's own clock: only samples taken in them count (the measured rounds, not
// start-up, warm-up or the other servers' rounds).
export function summarizeProfiles(dir: string, root: string, top = 25, windows?: Array<[number, number]>): ProfileSummary {
  const selfFn = new Map<string, number>();
  const selfPkg = new Map<string, number>();
  const inclFn = new Map<string, number>();
  const inclPkg = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { nodes: Node[]; startTime: number; samples?: number[]; timeDeltas?: number[] };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    if (windows?.length && profile.samples && profile.timeDeltas) {
      for (const n of profile.nodes) n.hitCount = 0;
      let at = profile.startTime;
      profile.samples.forEach((id, i) => {
        at += profile.timeDeltas![i]!;
        if (windows.some(([from, to]) => at >= from && at <= to)) byId.get(id)!.hitCount! += 1;
      });
    }
    const keyOf = (n: Node) => {
      const url = n.callFrame.url.replace(/^file:\/\//, '');
      const file = url ? relative(root, url) : `(${n.callFrame.functionName || 'native'})`;
      const fn = `${file}:${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber + 1}`;
      const pkgMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const pkg = pkgMatch ? pkgMatch[1]! : file.startsWith('dist/') ? file.split('/').slice(0, 3).join('/') : file.startsWith('node:') ? 'node core' : file;
      const project = /^dist\/(src|channels)\//.test(file);
      return { fn, pkg, project };
    };
    const root0 = profile.nodes[0]!;
    const fnStack = new Map<string, number>();
    const pkgStack = new Map<string, number>();
    const visit = (n: Node) => {
      const k = keyOf(n);
      const hits = n.hitCount ?? 0;
      const isIdle = n.callFrame.functionName === '(idle)';
      if (k.project) fnStack.set(k.fn, (fnStack.get(k.fn) ?? 0) + 1);
      pkgStack.set(k.pkg, (pkgStack.get(k.pkg) ?? 0) + 1);
      if (hits && isIdle) idle += hits;
      else if (hits) {
        busy += hits;
        add(selfFn, k.fn, hits);
        add(selfPkg, k.pkg, hits);
        for (const key of fnStack.keys()) add(inclFn, key, hits);
        for (const key of pkgStack.keys()) add(inclPkg, key, hits);
      }
      for (const c of n.children ?? []) visit(byId.get(c)!);
      if (k.project) {
        const left = fnStack.get(k.fn)! - 1;
        if (left) fnStack.set(k.fn, left);
        else fnStack.delete(k.fn);
      }
      const leftP = pkgStack.get(k.pkg)! - 1;
      if (leftP) pkgStack.set(k.pkg, leftP);
      else pkgStack.delete(k.pkg);
    };
    visit(root0);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .filter(([k]) => k !== '((root))' && !k.startsWith('((root))'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([where, hits]) => ({ where, sharePct: Math.round((hits / Math.max(1, busy)) * 1000) / 10 }));
  return {
    busySamples: busy,
    idleSharePct: Math.round((idle / Math.max(1, idle + busy)) * 1000) / 10,
    selfByFunction: rank(selfFn),
    selfByPackage: rank(selfPkg),
    inclusiveProjectFunctions: rank(inclFn),
    inclusiveByPackage: rank(inclPkg),
  };
}
