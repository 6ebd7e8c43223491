import { performance } from 'node:perf_hooks';
import { type ChannelCapabilities, CHANNEL_CAPABILITIES, byocCapabilities, type Content, parseContent, renderContent } from '../../src/content';
import { type BenchContext, row } from '../lib/context';
import { log, round } from '../lib/util';

// Content rendering throughput: renderContent over a mix of contents × every channel kind (and a
// BYOC channel declaring every element), in this process.

const CONTENTS: Record<string, unknown> = {
  plain: { text: 'Hello! Your order #1234 has shipped and should arrive on Tuesday.' },
  markdown: { text: '**Order shipped** — track it [here](https://example.com/track/1234).\n\n- item _one_\n- item `two`\n\n> thanks!', format: 'markdown' },
  html: { text: '<p><b>Order shipped</b>: <a href="https://example.com/t/1">track</a></p><ul><li>one</li><li>two &amp; three</li></ul>', format: 'html' },
  buttons: { text: 'How can we help?', buttons: [{ title: 'Track order', payload: 'track' }, { title: 'Return an item', payload: 'return' }, { title: 'Website', url: 'https://example.com' }] },
  quickReplies: { text: 'Was this helpful?', quickReplies: [{ title: 'Yes', payload: 'y' }, { title: 'No', payload: 'n' }, { title: 'Talk to a human', payload: 'human' }] },
  cards: { cards: [1, 2, 3].map((i) => ({ title: `Product ${i}`, subtitle: 'In stock', imageUrl: `https://example.com/p${i}.png`, buttons: [{ title: 'Buy', payload: `buy-${i}` }, { title: 'Details', url: `https://example.com/p/${i}` }] })) },
  listPicker: { listPicker: { title: 'Pick a store', items: Array.from({ length: 8 }, (_, i) => ({ title: `Store ${i + 1}`, subtitle: `Street ${i + 1}`, payload: `store-${i + 1}` })) } },
  timePicker: { timePicker: { title: 'Pick a slot', timezone: 'Europe/Madrid', slots: [0, 1, 2, 3].map((h) => ({ start: `2026-12-01T${String(9 + h).padStart(2, '0')}:00:00Z`, durationMinutes: 30 })) } },
  richLink: { text: 'See our policy', richLink: { url: 'https://example.com/returns', title: 'Returns policy', imageUrl: 'https://example.com/r.png' } },
  adaptiveCard: {
    adaptiveCard: {
      type: 'AdaptiveCard', version: '1.4',
      body: [{ type: 'TextBlock', text: 'Order 1234', weight: 'Bolder' }, { type: 'FactSet', facts: [{ title: 'Status', value: 'Shipped' }, { title: 'ETA', value: 'Tuesday' }] }],
      actions: [{ type: 'Action.Submit', title: 'Confirm', data: { a: 'confirm' } }, { type: 'Action.OpenUrl', title: 'Track', url: 'https://example.com/t' }],
    },
  },
  attachments: { text: 'Your invoice', attachments: [{ url: 'https://example.com/invoice.pdf', contentType: 'application/pdf', name: 'invoice.pdf' }] },
  long: { text: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(80), format: 'markdown' },
};

export async function runRender(ctx: BenchContext): Promise<void> {
  const seconds = ctx.quick ? 2 : 6;
  const contents: Array<[string, Content]> = [];
  const invalid: string[] = [];
  for (const [name, raw] of Object.entries(CONTENTS)) {
    try {
      contents.push([name, parseContent(raw)]);
    } catch (error) {
      invalid.push(name);
      log(`render: sample ${name} rejected by parseContent: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const channels: Array<[string, ChannelCapabilities]> = Object.entries(CHANNEL_CAPABILITIES);
  channels.push(['byoc(all)', byocCapabilities(['buttons', 'quickReplies', 'cards', 'listPicker', 'timePicker', 'richLink', 'adaptiveCard', 'markdown', 'attachments'])]);
  const pairs = channels.flatMap(([kind, caps]) => contents.map(([name, content]) => ({ kind, name, caps, content })));
  // Warm-up, and fail loudly on a pair that throws.
  for (const p of pairs) renderContent(p.content, p.caps);

  const perKind = new Map<string, { ops: number; ms: number }>();
  const perContent = new Map<string, { ops: number; ms: number }>();
  let ops = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let sink = 0;
  while (performance.now() < end) {
    for (const p of pairs) {
      const s = performance.now();
      for (let i = 0; i < 20; i++) sink += renderContent(p.content, p.caps).parts.length;
      const ms = performance.now() - s;
      ops += 20;
      for (const [m, key] of [[perKind, p.kind], [perContent, p.name]] as const) {
        const e = m.get(key) ?? { ops: 0, ms: 0 };
        e.ops += 20;
        e.ms += ms;
        m.set(key, e);
      }
    }
  }
  const total = (performance.now() - t0) / 1000;
  const rate = round(ops / total, 0);
  const fmt = (m: Map<string, { ops: number; ms: number }>) => Object.fromEntries([...m].map(([k, v]) => [k, { opsPerSec: round(v.ops / (v.ms / 1000), 0), usPerOp: round((v.ms * 1000) / v.ops, 2) }]));
  ctx.results.render = { seconds: round(total, 2), pairs: pairs.length, ops, opsPerSec: rate, invalidSamples: invalid, perChannel: fmt(perKind), perContent: fmt(perContent), sink: sink > 0 };
  row(ctx, 'render', `renderContent ops/s (${contents.length} contents × ${channels.length} channels)`, rate);
  const slowest = [...perContent].map(([k, v]) => [k, (v.ms * 1000) / v.ops] as const).sort((a, b) => b[1] - a[1])[0];
  if (slowest) row(ctx, 'render', 'slowest content (µs/op)', `${slowest[0]} ${round(slowest[1], 1)}`);
}
