import { byocSignatureHeaders } from '../../channels/byoc/byoc.signature';
import { buildWebhook, type Provider, type ProviderChannel, redeliveryHeaders } from './webhook-formats';

// The inbound traffic: webhooks of each provider in the mix (one channel per provider), from one
// population of ~1,000 contacts with Zipf-like activity (a few talk a lot, most once or twice)
// mapped to each provider's own addresses, so that cases are both created and appended to on
// every channel; some BYOC messages open a thread; 5% of requests are exact redeliveries of a
// message already acknowledged (they must be stored once; JSON answers say duplicate: true with
// the original id).

export interface Outgoing {
  // The bench's id of the message (a redelivery keeps its original's).
  messageId: string;
  provider: Provider;
  channelId: string;
  path: string;
  providerMessageId: string;
  raw: string;
  headers: Record<string, string>;
  replayOf: string | null; // the original messageId for a redelivery
}

export interface WorkloadOptions {
  prefix: string;
  // One per provider in the mix.
  channels: readonly ProviderChannel[];
  // The server's PUBLIC_URL: Twilio signs the webhook URL it was configured with.
  publicUrl: string;
  contacts?: number;
  duplicateShare?: number;
  seed?: number;
  zipfS?: number;
}

export class Workload {
  readonly prefix: string;
  readonly channels: readonly ProviderChannel[];
  private readonly publicUrl: string;
  private readonly duplicateShare: number;
  private readonly cdf: Float64Array;
  private seq = 0;
  private rng: () => number;
  // Acknowledged originals that may be redelivered.
  private readonly replayable: Outgoing[] = [];
  private readonly byChannel: Map<string, ProviderChannel>;

  constructor(options: WorkloadOptions) {
    if (options.channels.length === 0) throw new Error('Workload needs at least one channel');
    this.prefix = options.prefix;
    this.channels = options.channels;
    this.publicUrl = options.publicUrl;
    this.duplicateShare = options.duplicateShare ?? 0.05;
    this.byChannel = new Map(options.channels.map((c) => [c.channelId, c]));
    this.rng = mulberry32(options.seed ?? 42);
    const contacts = options.contacts ?? 1000;
    const zipfS = options.zipfS ?? 1.1;
    this.cdf = new Float64Array(contacts);
    let sum = 0;
    for (let k = 0; k < contacts; k++) sum += 1 / (k + 1) ** zipfS;
    let acc = 0;
    for (let k = 0; k < contacts; k++) {
      acc += 1 / (k + 1) ** zipfS / sum;
      this.cdf[k] = acc;
    }
  }

  private contact(): number {
    const u = this.rng();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  next(): Outgoing {
    // A redelivery only of a message acknowledged a while ago ("later"), never of one in flight.
    if (this.replayable.length > 64 && this.rng() < this.duplicateShare) {
      const idx = Math.floor(this.rng() * (this.replayable.length - 32));
      const [pick] = this.replayable.splice(idx, 1);
      const channel = this.byChannel.get(pick!.channelId)!;
      return { ...pick!, headers: redeliveryHeaders(channel, pick!.raw, pick!.headers), replayOf: pick!.messageId };
    }
    const n = ++this.seq;
    // Equal shares: each provider's path gets the same weight in the measured throughput. With a
    // single channel nothing is drawn, so a BYOC-only workload (latency) keeps the exact sequence
    // it had before the mix: near saturation its results depend on the sequence itself.
    const channel = this.channels.length === 1 ? this.channels[0]! : this.channels[Math.floor(this.rng() * this.channels.length)]!;
    const k = this.contact();
    const messageId = `${this.prefix}-${n}`;
    const threadId = channel.provider === 'byoc' && this.rng() < 0.1 ? `t-${k}-${Math.floor(this.rng() * 3)}` : undefined;
    const path = `/webhooks/${channel.channelId}`;
    const wire = buildWebhook(channel, `${this.publicUrl}${path}`, { messageId, seq: n, contact: k, ...(threadId !== undefined && { threadId }) });
    return { messageId, provider: channel.provider, channelId: channel.channelId, path, ...wire, replayOf: null };
  }

  acknowledged(o: Outgoing): void {
    if (o.replayOf === null) this.replayable.push(o);
  }

  get originals(): number {
    return this.seq;
  }
}

// A BYOC webhook signed now (the assignment scenario builds its own bodies).
export function signedHeaders(secret: string, raw: string): Record<string, string> {
  return { 'content-type': 'application/json', ...byocSignatureHeaders(secret, raw) };
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
