import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { type BenchContext, row } from '../lib/context';
import { httpRequest, makeAgent } from '../lib/http';
import { setupParley, startParley } from '../lib/parley';
import { latencySummary, log, round } from '../lib/util';

// Growth: inbox list (first page and a deep keyset page) and case history latency as the
// database grows to 10k, 100k and 1M messages. Data is seeded with generate_series straight into
// Parley's own schema (tenant, channel and skill made through the API), then the API is timed and
// the list/history queries are EXPLAINed: they must be index scans, never a Seq Scan on cases or
// messages.

const MESSAGES_PER_CASE = 10;
const HOT_CASE_MESSAGES = 2000;

interface PlanSummary {
  nodes: string[];
  seqScans: string[];
  executionMs: number | null;
}

function summarizePlan(plan: any): PlanSummary {
  const nodes: string[] = [];
  const seqScans: string[] = [];
  const walk = (n: any) => {
    const rel = n['Relation Name'] ? ` on ${n['Relation Name']}` : '';
    const idx = n['Index Name'] ? ` using ${n['Index Name']}` : '';
    const dir = n['Scan Direction'] && n['Scan Direction'] !== 'Forward' ? ` (${n['Scan Direction']})` : '';
    nodes.push(`${n['Node Type']}${rel}${idx}${dir}`);
    if (n['Node Type'] === 'Seq Scan' && ['cases', 'messages'].includes(n['Relation Name'])) seqScans.push(n['Relation Name']);
    for (const c of n.Plans ?? []) walk(c);
  };
  walk(plan[0].Plan);
  return { nodes, seqScans, executionMs: plan[0]['Execution Time'] ?? null };
}

export async function runGrowth(ctx: BenchContext): Promise<void> {
  const sizes = ctx.quick ? [10_000] : [10_000, 100_000, 1_000_000];
  const samples = ctx.quick ? 30 : 60;
  const dbUrl = await ctx.cluster.createDatabase('bench_growth');
  const server = await startParley('parley-growth', dbUrl);
  const db = new Client({ connectionString: dbUrl });
  const http = makeAgent(4);
  try {
    const setup = await setupParley(server);
    await db.connect();
    // Deterministic, valid v4-shaped UUIDs (the API's ParseUUIDPipe checks the version nibble).
    await db.query(`CREATE FUNCTION pg_temp.bench_uuid(text) RETURNS uuid IMMUTABLE LANGUAGE sql AS
      $$ SELECT overlay(overlay(md5($1) placing '4' from 13) placing '8' from 17)::uuid $$`);
    const [{ tenant_id: tenantId }] = (await db.query('SELECT tenant_id FROM channels WHERE id = $1', [setup.channelId])).rows;
    const params = { tenantId, channelId: setup.channelId, skillId: setup.skillId };

    // One hot case with a long history (seeded with the first size).
    let seededMessages = 0;
    let seededCases = 0;
    const out: Record<string, unknown> = {};
    for (const size of sizes) {
      const t0 = performance.now();
      if (seededMessages === 0) {
        await seedCases(db, params, 0, 1, HOT_CASE_MESSAGES, 'hot');
        seededMessages += HOT_CASE_MESSAGES;
      }
      const newCases = Math.max(0, Math.floor((size - seededMessages) / MESSAGES_PER_CASE));
      // In chunks, so that no single statement holds millions of rows in memory.
      for (let from = seededCases; from < seededCases + newCases; from += 20_000) {
        await seedCases(db, params, from, Math.min(seededCases + newCases, from + 20_000), MESSAGES_PER_CASE, 'seed');
      }
      seededCases += newCases;
      seededMessages += newCases * MESSAGES_PER_CASE;
      await db.query('ANALYZE cases; ANALYZE messages; ANALYZE contacts; ANALYZE contact_identities');
      const [counts] = (await db.query('SELECT (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM cases)::int AS cases')).rows;
      const seedSeconds = round((performance.now() - t0) / 1000, 1);
      log(`growth: ${counts.messages} messages in ${counts.cases} cases (seeded in ${seedSeconds} s)`);

      // A deep keyset page: the cursor of the case halfway down the inbox.
      const [mid] = (await db.query(
        'SELECT last_message_at, id FROM cases WHERE tenant_id = $1 ORDER BY last_message_at DESC, id DESC OFFSET $2 LIMIT 1',
        [tenantId, Math.floor(counts.cases / 2)],
      )).rows;
      const cursor = Buffer.from(JSON.stringify([new Date(mid.last_message_at).toISOString(), mid.id])).toString('base64url');
      const [hot] = (await db.query(`SELECT id FROM cases WHERE tenant_id = $1 AND contact_address = 'hot-0'`, [tenantId])).rows;
      const [normal] = (await db.query('SELECT id FROM cases WHERE tenant_id = $1 AND id <> $2 ORDER BY last_message_at DESC LIMIT 1', [tenantId, hot.id])).rows;
      const [hotMid] = (await db.query('SELECT created_at, id FROM messages WHERE case_id = $1 ORDER BY created_at, id OFFSET $2 LIMIT 1', [hot.id, HOT_CASE_MESSAGES / 2])).rows;
      const hotCursor = Buffer.from(JSON.stringify([new Date(hotMid.created_at).toISOString(), hotMid.id])).toString('base64url');

      const endpoints: Record<string, string> = {
        'inbox first page': '/api/v1/cases',
        'inbox deep keyset page': `/api/v1/cases?cursor=${cursor}`,
        'inbox status=new,open': '/api/v1/cases?status=new,open',
        'case history (10 msgs)': `/api/v1/cases/${normal.id}/messages`,
        [`case history (${HOT_CASE_MESSAGES} msgs), first page`]: `/api/v1/cases/${hot.id}/messages`,
        [`case history (${HOT_CASE_MESSAGES} msgs), middle page`]: `/api/v1/cases/${hot.id}/messages?cursor=${hotCursor}`,
      };
      const timings: Record<string, unknown> = {};
      for (const [name, path] of Object.entries(endpoints)) {
        const lat: number[] = [];
        for (let i = 0; i < samples + 5; i++) {
          const s = performance.now();
          const res = await httpRequest(http, server.url, 'GET', path, { authorization: `Bearer ${setup.adminToken}` });
          if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${res.text.slice(0, 200)}`);
          if (i >= 5) lat.push(performance.now() - s);
        }
        const summary = latencySummary(lat);
        timings[name] = summary;
        row(ctx, 'growth', `${label(counts.messages)} msgs: ${name} p50/p99 ms`, `${summary.p50} / ${summary.p99}`);
      }

      // The queries the API runs (cases.service list, messages.service history), explained.
      const plans = {
        inboxFirstPage: summarizePlan((await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT c.* FROM cases c WHERE c.tenant_id = $1 ORDER BY c.last_message_at DESC, c.id DESC LIMIT 26`, [tenantId])).rows[0]['QUERY PLAN']),
        inboxDeepPage: summarizePlan((await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT c.* FROM cases c WHERE c.tenant_id = $1 AND (c.last_message_at, c.id) < ($2::timestamptz, $3::uuid) ORDER BY c.last_message_at DESC, c.id DESC LIMIT 26`, [tenantId, new Date(mid.last_message_at).toISOString(), mid.id])).rows[0]['QUERY PLAN']),
        caseHistory: summarizePlan((await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) SELECT m.* FROM messages m WHERE m.tenant_id = $1 AND m.case_id = $2 ORDER BY m.created_at ASC, m.id ASC LIMIT 51`, [tenantId, hot.id])).rows[0]['QUERY PLAN']),
      };
      const seq = Object.entries(plans).filter(([, p]) => p.seqScans.length);
      row(ctx, 'growth', `${label(counts.messages)} msgs: plans (no Seq Scan on cases/messages)`, seq.length ? `SEQ SCAN in ${seq.map(([k]) => k).join(', ')}` : `ok — ${plans.inboxFirstPage.nodes.join(' > ')}`);
      out[label(counts.messages)] = { messages: counts.messages, cases: counts.cases, seedSeconds, timings, plans, seqScanFree: seq.length === 0 };
    }
    ctx.results.growth = { samplesPerEndpoint: samples, sizes: out };
    setup.agent.destroy();
  } finally {
    http.destroy();
    await db.end().catch(() => undefined);
    await server.stop();
  }
}

function label(n: number): string {
  return n >= 1_000_000 ? `${round(n / 1_000_000, 1)}M` : `${Math.round(n / 1000)}k`;
}

// Cases [from, to) of one kind, each with its contact, identity and `perCase` inbound messages.
async function seedCases(db: Client, p: { tenantId: string; channelId: string; skillId: string }, from: number, to: number, perCase: number, kind: string): Promise<void> {
  if (to <= from) return;
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO contacts (id, tenant_id, name, email, created_at, updated_at)
     SELECT pg_temp.bench_uuid($4 || '-contact-' || g), $1, 'Contact ' || $4 || g, $4 || g || '@example.com', now(), now()
       FROM generate_series($2::int, $3::int) g`,
    [p.tenantId, from, to - 1, kind],
  );
  await db.query(
    `INSERT INTO contact_identities (tenant_id, contact_id, channel_type, address)
     SELECT $1, pg_temp.bench_uuid($4 || '-contact-' || g), 'byoc', $4 || '-' || g
       FROM generate_series($2::int, $3::int) g`,
    [p.tenantId, from, to - 1, kind],
  );
  // Activity times spread over the last ~60 days, newest for the highest numbers; statuses mixed.
  await db.query(
    `INSERT INTO cases (id, tenant_id, channel_id, channel_type, contact_id, contact_address, status, skill_id,
                        last_message_at, last_message_preview, last_inbound_at, created_at, updated_at)
     SELECT pg_temp.bench_uuid($5 || '-case-' || g), $1, $2, 'byoc', pg_temp.bench_uuid($5 || '-contact-' || g), $5 || '-' || g,
            (ARRAY['new','open','pending','resolved','closed'])[1 + g % 5], $3,
            t, 'message ' || g, t, t - interval '1 hour', t
       FROM generate_series($4::int, $6::int) g,
            LATERAL (SELECT timestamptz '2026-09-01' + (g * interval '1 second') + CASE WHEN $5 = 'hot' THEN interval '90 days' ELSE interval '0' END AS t) ts`,
    [p.tenantId, p.channelId, p.skillId, from, kind, to - 1],
  );
  await db.query(
    `INSERT INTO messages (tenant_id, case_id, channel_id, direction, author_type, author_id, content, status, provider_message_id, created_at, updated_at)
     SELECT $1, pg_temp.bench_uuid($4 || '-case-' || g), $2, 'inbound', 'contact', pg_temp.bench_uuid($4 || '-contact-' || g),
            jsonb_build_object('text', 'Seeded message ' || j || ' of case ' || g || ': where is my order?'), 'received',
            $4 || '-' || g || '-' || j, t, t
       FROM generate_series($3::int, $5::int) g, generate_series(1, $6::int) j,
            LATERAL (SELECT timestamptz '2026-08-01' + (g * interval '1 second') + (j * interval '1 millisecond') AS t) ts`,
    [p.tenantId, p.channelId, from, kind, to - 1, perCase],
  );
  await db.query('COMMIT');
}
