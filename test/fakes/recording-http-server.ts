import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// The base of every provider fake in this folder (Twilio, Graph, Slack, Bot Framework,
// Telegram): a loopback HTTP server that records every request and answers through `answer`, or
// never answers (`hang`) so clients hit their timeout. An `answer` that throws becomes a 500.

export interface RecordedRequest {
  method: string;
  // Path without the query string.
  path: string;
  // Path and query, as received.
  url: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  // The body as text (JSON, form or multipart text fields).
  raw: string;
}

export interface FakeAnswer {
  status: number;
  // Objects are sent as JSON; strings and Buffers as they are.
  body?: unknown;
  headers?: Record<string, string>;
  // Never answer: the client's timeout fires.
  hang?: boolean;
}

export abstract class RecordingHttpServer {
  readonly requests: RecordedRequest[] = [];
  private server: Server | null = null;
  // http://127.0.0.1:<port>, once listening.
  baseUrl = '';

  protected abstract answer(request: RecordedRequest): FakeAnswer;

  async listen(): Promise<string> {
    this.server = createServer((req, res) => this.onRequest(req, res));
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

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.local');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        url: req.url ?? '/',
        query: url.searchParams,
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(recorded);
      const answer = this.safeAnswer(recorded);
      if (answer.hang) return;
      const body = answer.body === undefined ? '' : typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(body);
    });
  }

  private safeAnswer(request: RecordedRequest): FakeAnswer {
    try {
      return this.answer(request);
    } catch (error) {
      return { status: 500, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  }
}
