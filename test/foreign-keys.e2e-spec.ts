import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { getDataSourceToken } from '@nestjs/typeorm';
import { expect } from 'expect';
import type { DataSource, EntityManager } from 'typeorm';
import { adminWithSkill, type Admin } from './support/channel-helpers';
import { VALID_CONFIGS } from './support/channel-configs';
import { startApp, type TestApp } from './support/test-app';

// The foreign keys of the ForeignKeys migration, on the database itself (PGlite by default,
// PostgreSQL with DATABASE_URL): orphans are refused, the rows one ingest writes together are
// checked at commit whatever their order, and deletes cascade or are refused as declared.

interface SqlError {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

function violation(error: unknown): { code: string | undefined; constraint: string | undefined } {
  const e = error as SqlError;
  return { code: e?.code ?? e?.driverError?.code, constraint: e?.constraint ?? e?.driverError?.constraint };
}

async function refusal(work: Promise<unknown>): Promise<{ code: string | undefined; constraint: string | undefined }> {
  const error = await work.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeDefined();
  return violation(error);
}

describe('Foreign keys', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Admin;
  let tenantId: string;
  let channelId: string;

  const insertContact = (m: EntityManager, id = randomUUID()) =>
    m.query('INSERT INTO contacts (id, tenant_id, name) VALUES ($1, $2, $3) RETURNING id', [id, tenantId, 'Ada']).then(() => id);
  const insertCase = (m: EntityManager, contactId: string, id = randomUUID(), skillId: string | null = admin.skillId) =>
    m
      .query(
        `INSERT INTO cases (id, tenant_id, channel_id, channel_type, contact_id, contact_address, thread_key, skill_id)
         VALUES ($1, $2, $3, 'sms', $4, $5, $6, $7)`,
        [id, tenantId, channelId, contactId, `+1555${Math.floor(Math.random() * 1e7)}`, id, skillId],
      )
      .then(() => id);
  const insertMessage = (m: EntityManager, caseId: string, id = randomUUID()) =>
    m
      .query(
        `INSERT INTO messages (id, tenant_id, case_id, channel_id, direction, author_type, content, status)
         VALUES ($1, $2, $3, $4, 'outbound', 'agent', '{"text":"hi"}', 'queued')`,
        [id, tenantId, caseId, channelId],
      )
      .then(() => id);

  before(async () => {
    t = await startApp();
    db = t.app.get<DataSource>(getDataSourceToken());
    admin = await adminWithSkill(t);
    const channel = await t.http.post('/api/v1/channels', { type: 'sms', name: 'SMS', defaultSkillId: admin.skillId, config: VALID_CONFIGS.sms }, admin.token);
    expect(channel.status).toBe(201);
    channelId = channel.body.id;
    [{ tenant_id: tenantId }] = await db.query('SELECT tenant_id FROM channels WHERE id = $1', [channelId]);
  });
  after(async () => {
    await t.stop();
  });

  it('declares each key with its delete rule and timing', async () => {
    const rows: Array<{ name: string; definition: string }> = await db.query(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE contype = 'f' ORDER BY conname`,
    );
    const keys = Object.fromEntries(rows.map((row) => [row.name, row.definition]));
    expect(keys).toEqual({
      // Routing (RoutingForeignKeys migration).
      fk_agent_loads_user: 'FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE',
      fk_agent_presence_user: 'FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE',
      fk_agents_user: 'FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE',
      fk_case_assignments_agent: 'FOREIGN KEY (agent_id) REFERENCES users(id)',
      fk_case_assignments_case: 'FOREIGN KEY (case_id) REFERENCES cases(id)',
      fk_case_assignments_skill: 'FOREIGN KEY (skill_id) REFERENCES skills(id) ON DELETE SET NULL',
      fk_cases_offered_to: 'FOREIGN KEY (offered_to) REFERENCES users(id) ON DELETE SET NULL',
      fk_idle_reasons_tenant: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id)',
      fk_routing_settings_tenant: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id)',
      fk_skill_routing_skill: 'FOREIGN KEY (skill_id) REFERENCES skills(id) ON DELETE CASCADE',
      fk_cases_assignee: 'FOREIGN KEY (assignee_id) REFERENCES users(id) ON DELETE SET NULL',
      fk_cases_channel: 'FOREIGN KEY (channel_id) REFERENCES channels(id)',
      fk_cases_contact: 'FOREIGN KEY (contact_id) REFERENCES contacts(id) DEFERRABLE INITIALLY DEFERRED',
      fk_cases_skill: 'FOREIGN KEY (skill_id) REFERENCES skills(id) ON DELETE SET NULL',
      fk_channels_default_skill: 'FOREIGN KEY (default_skill_id) REFERENCES skills(id)',
      fk_channels_tenant: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id)',
      fk_contact_identities_contact: 'FOREIGN KEY (contact_id) REFERENCES contacts(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
      fk_contacts_tenant: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id)',
      fk_email_sources_message: 'FOREIGN KEY (message_id) REFERENCES messages(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
      fk_events_tenant: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id)',
      fk_imap_states_channel: 'FOREIGN KEY (channel_id) REFERENCES channels(id) ON DELETE CASCADE',
      fk_media_tenant: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id)',
      fk_message_parts_message: 'FOREIGN KEY (message_id) REFERENCES messages(id) ON DELETE CASCADE',
      fk_messages_case: 'FOREIGN KEY (case_id) REFERENCES cases(id) DEFERRABLE INITIALLY DEFERRED',
      fk_opt_outs_channel: 'FOREIGN KEY (channel_id) REFERENCES channels(id) ON DELETE CASCADE',
      fk_outbound_jobs_message: 'FOREIGN KEY (message_id) REFERENCES messages(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
      fk_skills_tenant: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id)',
      fk_user_skills_skill: 'FOREIGN KEY (skill_id) REFERENCES skills(id) ON DELETE CASCADE',
      fk_user_skills_user: 'FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE',
      fk_users_tenant: 'FOREIGN KEY (tenant_id) REFERENCES tenants(id)',
    });
  });

  it('refuses a message for a case that does not exist, at commit, and stores nothing', async () => {
    const id = randomUUID();
    let inserted = false;
    const orphan = db.transaction(async (m) => {
      await insertMessage(m, randomUUID(), id);
      inserted = true;
    });
    expect(await refusal(orphan)).toEqual({ code: '23503', constraint: 'fk_messages_case' });
    expect(inserted).toBe(true);
    expect(await db.query('SELECT id FROM messages WHERE id = $1', [id])).toEqual([]);
  });

  it('refuses the other orphans an ingest or a reply could write', async () => {
    const identity = db.transaction((m) =>
      m.query(`INSERT INTO contact_identities (tenant_id, contact_id, channel_type, address) VALUES ($1, $2, 'sms', '+15550001111')`, [tenantId, randomUUID()]),
    );
    expect(await refusal(identity)).toEqual({ code: '23503', constraint: 'fk_contact_identities_contact' });
    expect(await refusal(db.transaction((m) => insertCase(m, randomUUID())))).toEqual({ code: '23503', constraint: 'fk_cases_contact' });
    const job = db.transaction((m) => m.query('INSERT INTO outbound_jobs (tenant_id, message_id, run_at) VALUES ($1, $2, now())', [tenantId, randomUUID()]));
    expect(await refusal(job)).toEqual({ code: '23503', constraint: 'fk_outbound_jobs_message' });
    const source = db.transaction((m) => m.query(`INSERT INTO email_sources (message_id, tenant_id, channel_id, raw) VALUES ($1, $2, $3, 'x')`, [randomUUID(), tenantId, channelId]));
    expect(await refusal(source)).toEqual({ code: '23503', constraint: 'fk_email_sources_message' });
    const part = db.query(`INSERT INTO message_parts (message_id, part_index, tenant_id, channel_id, external_id) VALUES ($1, 0, $2, $3, 'SM1')`, [randomUUID(), tenantId, channelId]);
    expect(await refusal(part)).toEqual({ code: '23503', constraint: 'fk_message_parts_message' });
  });

  it('refuses references to tenants, channels, skills and users that do not exist, at the statement', async () => {
    const contact = db.query('INSERT INTO contacts (tenant_id, name) VALUES ($1, $2)', [randomUUID(), 'Nobody']);
    expect(await refusal(contact)).toEqual({ code: '23503', constraint: 'fk_contacts_tenant' });
    const channel = db.query(`INSERT INTO channels (tenant_id, type, name, default_skill_id) VALUES ($1, 'sms', 'x', $2)`, [tenantId, randomUUID()]);
    expect(await refusal(channel)).toEqual({ code: '23503', constraint: 'fk_channels_default_skill' });
    const optOut = db.query('INSERT INTO opt_outs (tenant_id, channel_id, address) VALUES ($1, $2, $3)', [tenantId, randomUUID(), '+15550002222']);
    expect(await refusal(optOut)).toEqual({ code: '23503', constraint: 'fk_opt_outs_channel' });
    let updated = false;
    const assign = db.transaction(async (m) => {
      const caseId = await insertCase(m, await insertContact(m));
      await m.query('UPDATE cases SET assignee_id = $2 WHERE id = $1', [caseId, randomUUID()]);
      updated = true;
    });
    expect(await refusal(assign)).toEqual({ code: '23503', constraint: 'fk_cases_assignee' });
    expect(updated).toBe(false);
  });

  it('accepts the rows of one ingest in any order inside their transaction (checked at commit)', async () => {
    const contactId = randomUUID();
    const caseId = randomUUID();
    const messageId = randomUUID();
    await db.transaction(async (m) => {
      // Children first: the message, its job and its case name rows that do not exist yet.
      await insertMessage(m, caseId, messageId);
      await m.query('INSERT INTO outbound_jobs (tenant_id, message_id, run_at) VALUES ($1, $2, now() + interval \'1 hour\')', [tenantId, messageId]);
      await insertCase(m, contactId, caseId);
      await m.query(`INSERT INTO contact_identities (tenant_id, contact_id, channel_type, address) VALUES ($1, $2, 'sms', '+15550003333')`, [tenantId, contactId]);
      await insertContact(m, contactId);
    });
    expect(await db.query('SELECT case_id FROM messages WHERE id = $1', [messageId])).toEqual([{ case_id: caseId }]);
    await db.query('DELETE FROM outbound_jobs WHERE message_id = $1', [messageId]);
  });

  it('deletes a contact with its identities, but not one that has cases', async () => {
    const lone = await db.transaction(async (m) => {
      const id = await insertContact(m);
      await m.query(`INSERT INTO contact_identities (tenant_id, contact_id, channel_type, address) VALUES ($1, $2, 'sms', '+15550004444')`, [tenantId, id]);
      return id;
    });
    await db.transaction((m) => m.query('DELETE FROM contacts WHERE id = $1', [lone]));
    expect(await db.query('SELECT id FROM contact_identities WHERE contact_id = $1', [lone])).toEqual([]);

    const withCase = await db.transaction(async (m) => {
      const id = await insertContact(m);
      await insertCase(m, id);
      return id;
    });
    expect(await refusal(db.transaction((m) => m.query('DELETE FROM contacts WHERE id = $1', [withCase])))).toEqual({ code: '23503', constraint: 'fk_cases_contact' });
    expect(await db.query('SELECT id FROM contacts WHERE id = $1', [withCase])).toEqual([{ id: withCase }]);
  });

  it('drops a deleted skill from its cases and memberships, and refuses to delete a channel’s default skill', async () => {
    const skill = await t.http.post('/api/v1/skills', { name: 'returns' }, admin.token);
    const skillId: string = skill.body.id;
    const user = await t.http.post('/api/v1/users', { email: 'fk-agent@test.local', name: 'FK Agent', password: 'agent-password-1', role: 'agent', skillIds: [skillId] }, admin.token);
    expect(user.status).toBe(201);
    const caseId = await db.transaction(async (m) => insertCase(m, await insertContact(m), randomUUID(), skillId));

    await db.query('DELETE FROM skills WHERE id = $1', [skillId]);
    expect(await db.query('SELECT skill_id FROM cases WHERE id = $1', [caseId])).toEqual([{ skill_id: null }]);
    expect(await db.query('SELECT skill_id FROM user_skills WHERE user_id = $1', [user.body.id])).toEqual([]);

    expect(await refusal(db.query('DELETE FROM skills WHERE id = $1', [admin.skillId]))).toEqual({ code: '23503', constraint: 'fk_channels_default_skill' });
  });
});
