import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderError } from './channel-adapter.port';
import { copyAttachments, downloadMedia } from './media-download';

describe('downloadMedia', () => {
  let server: Server;
  let base: string;
  const routes: Record<string, (res: import('node:http').ServerResponse) => void> = {
    '/ok': (res) => res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(Buffer.from([1, 2, 3])),
    '/untyped': (res) => res.end(Buffer.from([9])),
    '/big-declared': (res) => res.writeHead(200, { 'content-length': '1000' }).end(Buffer.alloc(1000)),
    '/big-chunked': (res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(Buffer.alloc(600));
      res.end(Buffer.alloc(600));
    },
    '/gone': (res) => res.writeHead(404).end(),
    '/busy': (res) => res.writeHead(503).end(),
    '/slow-down': (res) => res.writeHead(429).end(),
    '/auth': (res) => res.writeHead(200).end('ok'),
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/auth' && req.headers.authorization !== 'Bearer t') return void res.writeHead(401).end();
      if (req.url === '/hang') return;
      (routes[req.url ?? ''] ?? ((r) => r.writeHead(404).end()))(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns the bytes and the content type without parameters', async () => {
    await expect(downloadMedia(`${base}/ok`, { maxBytes: 10, name: 'a.png' })).resolves.toEqual({ data: Buffer.from([1, 2, 3]), contentType: 'image/png', name: 'a.png' });
  });

  it('falls back to the given content type', async () => {
    expect((await downloadMedia(`${base}/untyped`, { maxBytes: 10, fallbackContentType: 'audio/ogg' })).contentType).toBe('audio/ogg');
  });

  it('sends the provider credentials', async () => {
    await expect(downloadMedia(`${base}/auth`, { maxBytes: 10, headers: { authorization: 'Bearer t' } })).resolves.toMatchObject({ data: Buffer.from('ok') });
    await expect(downloadMedia(`${base}/auth`, { maxBytes: 10 })).rejects.toMatchObject({ errorClass: 'permanent' });
  });

  it('refuses a file above the limit, declared or streamed', async () => {
    await expect(downloadMedia(`${base}/big-declared`, { maxBytes: 999 })).rejects.toMatchObject({ errorClass: 'permanent' });
    await expect(downloadMedia(`${base}/big-chunked`, { maxBytes: 1000 })).rejects.toMatchObject({ errorClass: 'permanent' });
  });

  it('classifies failures: 4xx permanent, 429 rate limited, 5xx and timeouts temporary', async () => {
    await expect(downloadMedia(`${base}/gone`, { maxBytes: 10 })).rejects.toMatchObject({ errorClass: 'permanent' });
    await expect(downloadMedia(`${base}/slow-down`, { maxBytes: 10 })).rejects.toMatchObject({ errorClass: 'rate_limited' });
    await expect(downloadMedia(`${base}/busy`, { maxBytes: 10 })).rejects.toMatchObject({ errorClass: 'temporary' });
    await expect(downloadMedia(`${base}/hang`, { maxBytes: 10, timeoutMs: 200 })).rejects.toMatchObject({ errorClass: 'temporary' });
    await expect(downloadMedia('http://127.0.0.1:1/x', { maxBytes: 10 })).rejects.toBeInstanceOf(ProviderError);
  });
});

describe('copyAttachments', () => {
  const message = (urls: string[]) => ({
    kind: 'message' as const,
    providerMessageId: 'm1',
    from: { address: 'a' },
    timestamp: new Date(0),
    content: { text: 'hi', attachments: urls.map((url) => ({ url, contentType: 'image/png' })) },
  });

  it('replaces what the copy returns and keeps the rest', async () => {
    const [out] = await copyAttachments([message(['https://p/1', 'https://p/2'])], async (a) => (a.url.endsWith('1') ? { ...a, url: 'https://parley/1' } : undefined));
    expect(out).toMatchObject({ content: { attachments: [{ url: 'https://parley/1' }, { url: 'https://p/2' }] } });
  });

  it('keeps the provider reference on a permanent failure and propagates a retryable one', async () => {
    const [kept] = await copyAttachments([message(['https://p/1'])], () => Promise.reject(new ProviderError('permanent', 'gone')));
    expect(kept).toMatchObject({ content: { attachments: [{ url: 'https://p/1' }] } });
    await expect(copyAttachments([message(['https://p/1'])], () => Promise.reject(new ProviderError('temporary', 'busy')))).rejects.toMatchObject({ errorClass: 'temporary' });
  });

  it('passes statuses and attachment-less messages through untouched', async () => {
    const status = { kind: 'status' as const, externalId: 'x', status: 'sent' as const };
    const copy = jest.fn();
    expect(await copyAttachments([status, message([])], copy)).toEqual([status, message([])]);
    expect(copy).not.toHaveBeenCalled();
  });
});
