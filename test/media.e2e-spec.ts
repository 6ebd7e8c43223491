import { after, before, describe, it } from 'node:test';
import { expect } from 'expect';
import { MediaService } from '../src/media/media.service';
import { ADMIN, startApp, type TestApp } from './support/test-app';

// Parley's own media storage: what adapters and uploads save, served at capability URLs.
describe('Media storage', () => {
  let t: TestApp;
  let media: MediaService;
  let tenantId: string;

  before(async () => {
    t = await startApp({ env: { MEDIA_MAX_BYTES: '64' } });
    media = t.app.get(MediaService);
    const login = await t.http.post('/api/v1/auth/login', { email: ADMIN.email, password: ADMIN.password });
    tenantId = login.body.user.tenantId;
  });
  after(() => t.stop());

  it('stores bytes once per content and serves them with safe headers', async () => {
    const data = Buffer.from('%PDF-1.4 tiny');
    const first = await media.save(tenantId, { data, contentType: 'Application/PDF', name: 'Rechnung März.pdf' });
    const again = await media.save(tenantId, { data, contentType: 'application/pdf', name: 'Rechnung März.pdf' });
    expect(again.url).toBe(first.url);
    expect(first).toMatchObject({ contentType: 'application/pdf', size: data.length, name: 'Rechnung März.pdf' });

    const res = await fetch(`${t.url}${new URL(first.url).pathname}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(data);
    expect(res.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('downloads what a browser could mistake for a page instead of showing it', async () => {
    const stored = await media.save(tenantId, { data: Buffer.from('<script>alert(1)</script>'), contentType: 'text/html' });
    const res = await fetch(`${t.url}${new URL(stored.url).pathname}`);
    expect(res.headers.get('content-disposition')).toBe('attachment');
  });

  it('refuses a file above MEDIA_MAX_BYTES with PAYLOAD_TOO_LARGE', async () => {
    await expect(media.save(tenantId, { data: Buffer.alloc(65), contentType: 'image/png' })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 404 JSON for an unknown id or a wrong token', async () => {
    const stored = await media.save(tenantId, { data: Buffer.from('x'), contentType: 'text/plain' });
    const path = new URL(stored.url).pathname;
    const wrong = await t.http.get(path.replace(/[^/]+$/, 'A'.repeat(32)));
    expect(wrong.status).toBe(404);
    expect(wrong.body.code).toBe('NOT_FOUND');
    expect((await t.http.get('/media/00000000-0000-4000-8000-000000000000/abc')).status).toBe(404);
    expect((await t.http.get('/media/not-a-uuid/abc')).status).toBe(404);
  });
});
