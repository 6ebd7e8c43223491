import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback HTTP server that records every request and answers through `answer`: the base of
// the provider fakes in this folder.

export interface RecordedRequest {
  method: string;
  // Path without the query string.
  path: string;
  // Path and query, as received.
  url: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  // The body as text (JSON or form bodies).
  raw: string;
}

export interface FakeAnswer {
  status: number;
  // Objects are sent as JSON; strings as they are.
  body?: unknown;
  headers?: Record<string, string>;
}

export abstract class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  // http://127.0.0.1:<port>, once listening.
  baseUrl = '';

  protected abstract answer(request: RecordedRequest): FakeAnswer;

  async listen(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      const parsed = new URL(url, 'http://fake.local');
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: parsed.pathname,
        url,
        query: parsed.searchParams,
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(request);
      let answer: FakeAnswer;
      try {
        answer = this.answer(request);
      } catch (error) {
        answer = { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
      }
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(body);
    });
  }
}
