import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { byocSignatureHeaders, verifyByocSignature } from '../../channels/byoc/byoc.signature';
import type { Http, HttpResponse } from './test-app';

export interface ReceivedCallback {
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  validSignature: boolean;
}

// Plays a BYOC integrator: signs inbound webhooks and runs the callback server Parley posts
// outbound messages to. `respond` decides each callback's answer (status and body).
export class ByocIntegrator {
  readonly received: ReceivedCallback[] = [];
  respond: (n: number, body: any) => { status: number; body?: unknown } = (n) => ({ status: 200, body: { externalId: `ext-out-${n}` } });
  private server: Server | null = null;
  secret = '';

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let validSignature = true;
        try {
          verifyByocSignature(this.secret, header(req, 'x-parley-timestamp'), header(req, 'x-parley-signature'), raw);
        } catch {
          validSignature = false;
        }
        const body = JSON.parse(raw.toString('utf8'));
        this.received.push({ headers: req.headers, raw: raw.toString('utf8'), body, validSignature });
        const answer = this.respond(this.received.length, body);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/callback`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    // Parley's keep-alive connections would hold close() open until they time out.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async send(http: Http, channelId: string, payload: unknown, options: { secret?: string; nowMs?: number; raw?: string } = {}): Promise<HttpResponse> {
    const raw = options.raw ?? JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', ...byocSignatureHeaders(options.secret ?? this.secret, raw, options.nowMs) };
    return http.request('POST', `/webhooks/${channelId}`, { raw, headers });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, label = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
