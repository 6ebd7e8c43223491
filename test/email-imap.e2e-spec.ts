import { after, before, describe, it } from 'node:test';
import { getDataSourceToken } from '@nestjs/typeorm';
import { expect } from 'expect';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { emailFixture, withHeaders } from '../channels/email/email.fixtures';
import { FakeImapServer } from './fakes/imap-server.fake';
import { waitFor } from './support/byoc-integrator';
import { adminWithSkill, countRows, queryRows, type Admin } from './support/channel-helpers';
import { freePort, startApp, type TestApp } from './support/test-app';

// Issue 6, IMAP polling end to end: the real imapflow client against a loopback IMAP server
// (test/fakes/imap-server.fake.ts), through restarts, UIDVALIDITY changes, dropped connections,
// servers without IDLE and a refused login.
const ADDRESS = 'support@inbox.example.com';
const DAY = 86_400_000;

describe('Email channel over IMAP', () => {
  const imap = new FakeImapServer();
  let t: TestApp;
  let admin: Admin;
  let channelId: string;
  let smtpPort: number;
  let databaseUrl: string | undefined;
  let n = 0;

  const env = () => ({ IMAP_POLL_MS: '200', SMTP_PORT: String(smtpPort) });
  const mail = (label: string, extra: Record<string, string> = {}) =>
    withHeaders(emailFixture('email-new.eml'), { 'Message-ID': `<imap-${label}-${++n}@mail.example.net>`, Subject: `IMAP ${label}`, ...extra });
  const idOf = (raw: Buffer) => /^Message-ID: (<[^>]+>)/m.exec(raw.toString())![1]!;
  const count = (messageId: string) => countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1 AND provider_message_id = $2', [channelId, messageId]);
  const imported = (raw: Buffer, label = idOf(raw)) => waitFor(async () => (await count(idOf(raw))) === 1, 15_000, `import of ${label}`);
  const position = async () => (await queryRows<{ uid_validity: string; last_uid: string }>(t, 'SELECT uid_validity, last_uid FROM imap_states WHERE channel_id = $1', [channelId]))[0];
  const channel = async () => (await t.http.get(`/api/v1/channels/${channelId}`, admin.token)).body;
  const imapConfig = (pass = imap.pass) => ({ host: '127.0.0.1', port: imap.port, secure: false, user: imap.user, pass });

  before(async () => {
    await imap.listen();
    smtpPort = await freePort();
    t = await startApp({ env: env() });
    databaseUrl = (t.app.get<DataSource>(getDataSourceToken()).options as { url?: string }).url;
    admin = await adminWithSkill(t);
  });
  after(async () => {
    await t.stop();
    await imap.close();
    // The restarted app was given the database, so it does not drop it itself.
    if (databaseUrl) {
      const pg = new Client({ connectionString: process.env.DATABASE_URL });
      await pg.connect();
      await pg.query(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
      await pg.end();
    }
  });

  it('imports the mailbox’s recent mail on the first connection, not older history, and records its position', async () => {
    const recent = mail('recent');
    const old = mail('old');
    imap.append(old, new Date(Date.now() - 30 * DAY));
    imap.append(recent);
    const created = await t.http.post(
      '/api/v1/channels',
      { type: 'email', name: 'IMAP mailbox', defaultSkillId: admin.skillId, config: { address: ADDRESS, smtp: { host: '127.0.0.1', port: 9, secure: false }, imap: imapConfig() } },
      admin.token,
    );
    expect(created.status).toBe(201);
    expect(created.body.config.imap).toEqual({ host: '127.0.0.1', port: imap.port, secure: false, user: imap.user, pass: '***' });
    channelId = created.body.id;

    await imported(recent);
    expect(await count(idOf(old))).toBe(0);
    await waitFor(async () => (await position())?.last_uid === '2', 10_000, 'position 2');
    expect(await position()).toEqual({ uid_validity: '1001', last_uid: '2' });
    // Read-only: polling never changes the mailbox.
    expect(imap.commands).toContain('EXAMINE INBOX');
    expect(imap.commands.some((c) => c.startsWith('SELECT') || c.startsWith('STORE') || c.startsWith('UID STORE'))).toBe(false);
    const kase = (await t.http.get(`/api/v1/cases?q=${encodeURIComponent('IMAP recent')}`, admin.token)).body.items[0];
    expect(kase).toMatchObject({ subject: 'IMAP recent', contact: { name: 'Carol Customer', identities: [{ channelType: 'email', address: 'carol@example.net' }] } });
  });

  it('imports new mail as soon as the server announces it while idling', async () => {
    await waitFor(() => imap.commands.includes('IDLE'), 15_000, 'IDLE');
    const fresh = mail('idle');
    imap.append(fresh);
    await imported(fresh);
    await waitFor(async () => (await position())?.last_uid === '3', 10_000, 'position 3');
  });

  it('resumes after a restart without importing anything twice', async () => {
    const before = await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId]);
    await t.stop({ keepData: true });
    const meanwhile = mail('while-down');
    imap.append(meanwhile);
    t = await startApp({ dataDir: t.dataDir, databaseUrl, env: env() });
    admin = { ...admin, token: await t.http.login() };
    await imported(meanwhile);
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId])).toBe(before + 1);
    // It asked only for what came after the stored position.
    expect(imap.commands).toContain('UID FETCH 4:* (UID RFC822.SIZE)');
    // The position moves right after the mail is stored, in a statement of its own.
    await waitFor(async () => (await position())?.last_uid === '4', 10_000, 'position 4');
    expect(await position()).toMatchObject({ uid_validity: '1001', last_uid: '4' });
  });

  it('reconnects after the connection drops', async () => {
    const logins = imap.logins;
    imap.dropConnections();
    const after = mail('after-drop');
    imap.append(after);
    await imported(after);
    expect(imap.logins).toBeGreaterThan(logins);
  });

  it('reads the mailbox again when its UIDVALIDITY changes, without storing anything twice', async () => {
    const total = await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId]);
    imap.resetUidValidity();
    imap.dropConnections();
    const renumbered = mail('renumbered');
    imap.append(renumbered);
    await imported(renumbered);
    await waitFor(async () => (await position())?.uid_validity === '1002', 10_000, 'new UIDVALIDITY');
    expect(await countRows(t, 'SELECT count(*)::int AS n FROM messages WHERE channel_id = $1', [channelId])).toBe(total + 1);
    expect(imap.commands.filter((c) => c.startsWith('UID SEARCH SINCE')).length).toBeGreaterThanOrEqual(2);
  });

  it('polls a server without IDLE', async () => {
    imap.idle = false;
    imap.dropConnections();
    const polled = mail('polled');
    // After the reconnect, not before: this mail must come from polling.
    await waitFor(() => imap.logins > 0 && imap.commands.at(-1)?.startsWith('UID FETCH'), 15_000, 'reconnect');
    const commandsBefore = imap.commands.length;
    imap.append(polled);
    await imported(polled);
    expect(imap.commands.slice(commandsBefore)).not.toContain('IDLE');
    imap.idle = true;
  });

  it('stores a mail that arrives both over SMTP and IMAP once', async () => {
    const both = mail('both');
    await createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true }).sendMail({ envelope: { from: 'carol@example.net', to: [ADDRESS] }, raw: both });
    expect(await count(idOf(both))).toBe(1);
    const uid = imap.append(both);
    await waitFor(async () => Number((await position())?.last_uid) >= uid, 15_000, 'IMAP past the duplicate');
    expect(await count(idOf(both))).toBe(1);
  });

  it('marks the channel as needing attention when the login is refused, and resumes with new credentials', async () => {
    const patched = await t.http.patch(`/api/v1/channels/${channelId}`, { config: { imap: imapConfig('wrong-password') } }, admin.token);
    expect(patched.status).toBe(200);
    await waitFor(async () => (await channel()).health === 'needs_attention', 15_000, 'needs_attention');
    expect((await channel()).healthReason).toMatch(/IMAP login refused/);
    // It does not keep hammering the server with a bad password.
    const attempts = imap.logins;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(imap.logins).toBe(attempts);

    const fixed = await t.http.patch(`/api/v1/channels/${channelId}`, { config: { imap: imapConfig() } }, admin.token);
    expect(fixed.body.health).toBe('ok');
    const later = mail('fixed');
    imap.append(later);
    await imported(later);
    expect(t.logs()).not.toContain(imap.pass);
  });
});
