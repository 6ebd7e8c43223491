import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { waitFor } from './byoc-integrator';
import type { TestApp } from './test-app';

// What the provider suites share: an admin with a skill, and reading a case's messages back.

export interface Admin {
  token: string;
  skillId: string;
}

export async function adminWithSkill(t: TestApp, skill = 'support'): Promise<Admin> {
  const token = await t.http.login();
  const skillId = (await t.http.post('/api/v1/skills', { name: skill }, token)).body.id as string;
  return { token, skillId };
}

export async function messagesOf(t: TestApp, token: string, caseId: string): Promise<any[]> {
  return (await t.http.get(`/api/v1/cases/${caseId}/messages`, token)).body.items;
}

export async function messageOf(t: TestApp, token: string, caseId: string, id: string): Promise<any> {
  return (await messagesOf(t, token, caseId)).find((m: { id: string }) => m.id === id);
}

// Waits until the outbound message leaves `queued` and returns it.
export async function settled(t: TestApp, token: string, caseId: string, id: string, timeoutMs = 15_000): Promise<any> {
  return waitFor(async () => {
    const m = await messageOf(t, token, caseId, id);
    return m && m.status !== 'queued' && m;
  }, timeoutMs, `message ${id} settled`);
}

export async function queryRows<T = any>(t: TestApp, sql: string, params: unknown[] = []): Promise<T[]> {
  return t.app.get<DataSource>(getDataSourceToken()).query(sql, params);
}

export async function countRows(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await queryRows<{ n: number }>(t, sql, params);
  return Number(rows[0]!.n);
}
