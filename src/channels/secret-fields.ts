// Secret config fields are addressed by dotted paths ("smtp.pass").

export const MASK = '***';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function getPath(obj: Obj, path: string): unknown {
  return path.split('.').reduce<unknown>((acc, key) => (isObj(acc) ? acc[key] : undefined), obj);
}

export function setPath(obj: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur: Obj = obj;
  for (const key of keys.slice(0, -1)) {
    if (!isObj(cur[key])) cur[key] = {};
    cur = cur[key] as Obj;
  }
  cur[keys[keys.length - 1]!] = value;
}

export function deletePath(obj: Obj, path: string): void {
  const keys = path.split('.');
  const parent = getPath(obj, keys.slice(0, -1).join('.'));
  const target = keys.length === 1 ? obj : parent;
  if (isObj(target)) delete target[keys[keys.length - 1]!];
}

// Splits a validated config into what may be shown and what must be encrypted.
export function splitSecrets(config: Obj, paths: readonly string[]): { visible: Obj; secrets: Obj } {
  const visible = structuredClone(config);
  const secrets: Obj = {};
  for (const path of paths) {
    const value = getPath(config, path);
    if (value !== undefined) {
      secrets[path] = value;
      deletePath(visible, path);
    }
  }
  return { visible, secrets };
}

export function joinSecrets(visible: Obj, secrets: Obj): Obj {
  const full = structuredClone(visible);
  for (const [path, value] of Object.entries(secrets)) setPath(full, path, value);
  return full;
}

// The config as responses show it: every stored secret as "***".
export function maskSecrets(visible: Obj, secrets: Obj): Obj {
  const masked = structuredClone(visible);
  for (const path of Object.keys(secrets)) setPath(masked, path, MASK);
  return masked;
}

// PATCH semantics: objects merge key by key, anything else replaces, and "***" keeps the stored
// secret.
export function mergePatch(current: Obj, patch: Obj, paths: readonly string[]): Obj {
  const merge = (a: Obj, b: Obj): Obj => {
    const out: Obj = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(a[k]) ? merge(a[k] as Obj, v) : v;
    return out;
  };
  const merged = merge(current, patch);
  for (const path of paths) if (getPath(merged, path) === MASK) setPath(merged, path, getPath(current, path));
  return merged;
}
