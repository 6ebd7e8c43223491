import { EventEmitter } from 'node:events';
import { PGlite, types } from '@electric-sql/pglite';

// A `pg`-shaped driver for TypeORM's postgres dialect over one embedded PGlite instance.
//
// PGlite is a single connection. TypeORM opens a transaction with `START TRANSACTION` on a
// pooled connection and expects nobody else to use it until release; handing every caller the
// same connection (as a naive pool does) would interleave two requests' statements inside one
// transaction. So this pool behaves like `pg-pool` with max = 1: `connect()` waits until the
// previous holder releases. Code must therefore never hold a query runner while asking for a
// second one (the same rule as a pool of size 1).

type QueryCallback = (err: Error | null, result?: PgResult) => void;

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

// Match pg's defaults so both databases give the same JavaScript values: int8/numeric as
// strings (TypeORM expects that), timestamps as Date, json as objects.
const parsers = {
  [types.INT8]: (v: string) => v,
  [types.NUMERIC]: (v: string) => v,
};

const boolSerializer = (value: unknown): string => {
  if (value === true || value === 'true' || value === 1) return 'TRUE';
  if (value === false || value === 'false' || value === 0) return 'FALSE';
  return String(value);
};

class PgliteConnection extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<PgResult> {
    const cb = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : undefined;
    const run = async (): Promise<PgResult> => {
      if (values && values.length > 0) return toPg(sql, await this.db.query(sql, values));
      // Without parameters a string may hold several statements (migrations): `exec` runs them
      // all; TypeORM wants the last result.
      const results = await this.db.exec(sql);
      const last = results[results.length - 1];
      return last ? toPg(sql, last) : { rows: [], rowCount: 0, command: commandOf(sql), fields: [] };
    };
    const promise = run();
    if (cb) promise.then((r) => cb(null, r), (e: Error) => cb(e));
    return promise;
  }

  release(): void {
    // Released through the pool's done callback.
  }
}

function commandOf(sql: string): string {
  const match = /^\s*(?:WITH\s[\s\S]*?\)\s*)?([A-Za-z]+)/.exec(sql);
  return (match?.[1] ?? '').toUpperCase();
}

function toPg(sql: string, result: { rows: unknown[]; affectedRows?: number; fields: { name: string; dataTypeID: number }[] }): PgResult {
  const command = commandOf(sql);
  const rowCount = command === 'SELECT' ? result.rows.length : (result.affectedRows ?? result.rows.length);
  return { rows: result.rows, rowCount, command, fields: result.fields };
}

export interface PgliteDriverOptions {
  // A directory for a persisted database; undefined keeps it in memory.
  dataDir?: string;
}

// Returns the object TypeORM takes as `driver` (it only uses `.Pool`).
export function createPgliteDriver(options: PgliteDriverOptions): { Pool: new () => unknown; instance: () => Promise<PGlite> } {
  let dbPromise: Promise<PGlite> | null = null;
  const open = (): Promise<PGlite> => {
    dbPromise ??= PGlite.create(options.dataDir, { parsers, serializers: { [types.BOOL]: boolSerializer } });
    return dbPromise;
  };

  class PglitePool extends EventEmitter {
    private queue: Array<() => void> = [];
    private busy = false;
    private connection: PgliteConnection | null = null;

    connect(callback: (err: Error | null, client: PgliteConnection | null, done: (err?: Error) => void) => void): void {
      const grant = () => {
        open().then(
          (db) => {
            this.connection ??= new PgliteConnection(db);
            let released = false;
            callback(null, this.connection, () => {
              if (released) return;
              released = true;
              this.handOver();
            });
          },
          (err: Error) => {
            this.handOver();
            callback(err, null, () => undefined);
          },
        );
      };
      if (this.busy) {
        // A caller that waits this long is almost certainly a query issued outside a transaction
        // while that transaction holds the only connection: fail loudly instead of hanging.
        const timer = setTimeout(() => {
          const index = this.queue.indexOf(waiting);
          if (index === -1) return;
          this.queue.splice(index, 1);
          callback(new Error('PGlite: waited 15 s for the connection (query outside the current transaction?)'), null, () => undefined);
        }, 15_000);
        timer.unref();
        const waiting = () => {
          clearTimeout(timer);
          grant();
        };
        this.queue.push(waiting);
      } else {
        this.busy = true;
        grant();
      }
    }

    private handOver(): void {
      const next = this.queue.shift();
      if (next) next();
      else this.busy = false;
    }

    // One-off queries outside a checked-out connection (TypeORM uses them rarely).
    query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): void {
      this.connect((err, client, done) => {
        const cb = typeof params === 'function' ? params : callback;
        if (err || !client) {
          cb?.(err ?? new Error('no connection'));
          return;
        }
        client.query(sql, Array.isArray(params) ? params : undefined).then(
          (r) => {
            done();
            cb?.(null, r);
          },
          (e: Error) => {
            done();
            cb?.(e);
          },
        );
      });
    }

    end(callback?: (err?: Error | null) => void): void {
      const closing = dbPromise ? dbPromise.then((db) => db.close()) : Promise.resolve();
      dbPromise = null;
      closing.then(() => callback?.(null), (e: Error) => callback?.(e));
    }
  }

  return { Pool: PglitePool, instance: open };
}
