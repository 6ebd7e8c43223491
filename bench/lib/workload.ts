import { byocSignatureHeaders } from '../../channels/byoc/byoc.signature';

// The inbound traffic: ~1,000 contacts with Zipf-like activity (a few talk a lot, most once or
// twice), so that cases are both created and appended to; some messages open a thread; 5% of
// requests are exact replays of a message already acknowledged (they must come back
// duplicate: true with the original id).

export interface Outgoing {
  messageId: string;
  raw: string;
  replayOf: string | null; // the original messageId for a replay
}

export class Workload {
  private readonly cdf: Float64Array;
  private seq = 0;
  private rng: () => number;
  // Acknowledged originals that may be replayed: messageId → raw body.
  private readonly replayable: Array<{ messageId: string; raw: string }> = [];
  private sinceReplay = 0;

  constructor(
    readonly prefix: string,
    readonly contacts = 1000,
    readonly duplicateShare = 0.05,
    seed = 42,
    zipfS = 1.1,
  ) {
    this.rng = mulberry32(seed);
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

  // `textOf` lets the latency scenario put the messageId in the text, where events carry it.
  next(): Outgoing {
    // A replay only of a message acknowledged a while ago ("later"), never of one in flight.
    if (this.replayable.length > 64 && this.rng() < this.duplicateShare) {
      const idx = Math.floor(this.rng() * (this.replayable.length - 32));
      const [pick] = this.replayable.splice(idx, 1);
      return { messageId: pick!.messageId, raw: pick!.raw, replayOf: pick!.messageId };
    }
    const n = ++this.seq;
    const k = this.contact();
    const messageId = `${this.prefix}-${n}`;
    const body: Record<string, unknown> = {
      type: 'message',
      messageId,
      from: { id: `contact-${k}`, name: `Contact ${k}`, email: `contact${k}@example.com` },
      timestamp: new Date().toISOString(),
      content: { text: `bench ${messageId}: my order #${1000 + k} has not arrived, can you help?` },
    };
    if (this.rng() < 0.1) body.threadId = `t-${k}-${Math.floor(this.rng() * 3)}`;
    return { messageId, raw: JSON.stringify(body), replayOf: null };
  }

  acknowledged(o: Outgoing): void {
    if (o.replayOf === null) this.replayable.push({ messageId: o.messageId, raw: o.raw });
    this.sinceReplay++;
  }

  get originals(): number {
    return this.seq;
  }
}

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
