import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth.decorators';
import { preparedQuery } from '../database/prepared-query';
import { EventEntity, type EventType } from './event.entity';
import { EventPublisher } from './event-publisher';

export interface EventDraft {
  tenantId: string;
  type: EventType;
  caseId: string | null;
  // Who may see it: admins and supervisors always; agents when assigned, or when unassigned and
  // the case is queued for one of their skills.
  skillId: string | null;
  assigneeId: string | null;
  // Who could see the case before this change and no longer can: the agent it was taken from,
  // the queue (skill) it left while unassigned. They receive this event too.
  formerSkillId?: string | null;
  formerAssigneeId?: string | null;
  data: unknown;
}

export interface ParleyEvent {
  seq: number;
  type: EventType;
  data: unknown;
  at: string;
}

export interface StoredEvent extends ParleyEvent {
  tenantId: string;
  caseId: string | null;
  skillId: string | null;
  assigneeId: string | null;
  formerSkillId: string | null;
  formerAssigneeId: string | null;
}

// Collects the events of one transaction; they get their sequence numbers just before commit.
export class EventBatch {
  readonly drafts: EventDraft[] = [];
  add(draft: EventDraft): void {
    this.drafts.push(draft);
  }
}

@Injectable()
export class EventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly publisher: EventPublisher,
  ) {}

  // Runs `work` in one transaction and publishes the events it recorded only after the commit:
  // no client ever hears of data it cannot read.
  async transaction<T>(work: (manager: EntityManager, events: EventBatch) => Promise<T>): Promise<T> {
    const batch = new EventBatch();
    let stored: StoredEvent[] = [];
    const result = await this.db.transaction(async (manager) => {
      const value = await work(manager, batch);
      stored = await this.persist(manager, batch.drafts);
      return value;
    });
    if (stored.length) this.publisher.publish(stored);
    return result;
  }

  // Sequence numbers come from a per-tenant counter row, taken as late as possible in the
  // transaction: the row lock then orders commits by seq, so `after=N` never skips an event
  // committed later with a smaller number.
  async persist(manager: EntityManager, drafts: EventDraft[]): Promise<StoredEvent[]> {
    if (drafts.length === 0) return [];
    const byTenant = new Map<string, EventDraft[]>();
    for (const d of drafts) byTenant.set(d.tenantId, [...(byTenant.get(d.tenantId) ?? []), d]);
    const stored: StoredEvent[] = [];
    for (const [tenantId, list] of byTenant) {
      const now = new Date();
      // The counter row and the events in one statement: the lock is taken as late as it can be.
      // The rows travel as one JSON document: serialising it is one native call, where array
      // parameters are escaped element by element in JavaScript.
      const rows: Array<{ first: string }> = await preparedQuery(manager, 'events_persist',
        `WITH counter AS (UPDATE tenants SET event_seq = event_seq + $2 WHERE id = $1 RETURNING event_seq - $2 + 1 AS first),
              written AS (
                INSERT INTO events (tenant_id, seq, type, case_id, skill_id, assignee_id, former_skill_id, former_assignee_id, data, created_at)
                SELECT $1::uuid, counter.first + u.ord - 1, u.type, u.case_id, u.skill_id, u.assignee_id, u.former_skill_id, u.former_assignee_id, u.data, $3::timestamptz
                  FROM counter, jsonb_to_recordset($4::jsonb) AS u(ord int, type text, case_id uuid, skill_id uuid, assignee_id uuid, former_skill_id uuid, former_assignee_id uuid, data jsonb))
         SELECT first FROM counter`,
        [
          tenantId,
          list.length,
          now,
          JSON.stringify(
            list.map((d, i) => ({
              ord: i + 1,
              type: d.type,
              case_id: d.caseId,
              skill_id: d.skillId,
              assignee_id: d.assigneeId,
              former_skill_id: d.formerSkillId ?? null,
              former_assignee_id: d.formerAssigneeId ?? null,
              data: d.data,
            })),
          ),
        ],
      );
      if (!rows[0]) throw new Error(`Events: no tenant ${tenantId}`);
      const first = Number(rows[0].first);
      const at = now.toISOString();
      list.forEach((d, i) => {
        stored.push({
          seq: first + i,
          type: d.type,
          data: d.data,
          at,
          tenantId,
          caseId: d.caseId,
          skillId: d.skillId,
          assigneeId: d.assigneeId,
          formerSkillId: d.formerSkillId ?? null,
          formerAssigneeId: d.formerAssigneeId ?? null,
        });
      });
    }
    return stored;
  }

  async list(user: AuthUser, skillIds: string[], after: number, limit: number): Promise<{ items: ParleyEvent[]; lastSeq: number }> {
    // The high-water mark is read first: every event up to it is committed (see persist), so a
    // page that ends before `limit` can report it as lastSeq even when the events in between were
    // invisible to this user, and nothing committed meanwhile is skipped.
    const [tenant]: Array<{ event_seq: string }> = await this.db.query('SELECT event_seq FROM tenants WHERE id = $1', [user.tenantId]);
    const highWater = Number(tenant?.event_seq ?? 0);
    const params: unknown[] = [user.tenantId, String(after), String(highWater), limit];
    let visibility = '';
    if (user.role === 'agent') {
      params.push(user.id, skillIds);
      visibility = `AND (assignee_id = $5 OR (assignee_id IS NULL AND skill_id = ANY($6::uuid[])) OR type = 'agent.state'
        OR former_assignee_id = $5 OR former_skill_id = ANY($6::uuid[]))`;
    }
    const rows: Array<{ seq: string; type: EventEntity['type']; data: unknown; created_at: Date }> = await this.db.query(
      `SELECT seq, type, data, created_at FROM events
        WHERE tenant_id = $1 AND seq > $2 AND seq <= $3 ${visibility} ORDER BY seq LIMIT $4`,
      params,
    );
    const items = rows.map((r) => ({ seq: Number(r.seq), type: r.type, data: r.data, at: new Date(r.created_at).toISOString() }));
    const lastSeq = items.length === limit ? items[items.length - 1]!.seq : Math.max(after, highWater);
    return { items, lastSeq };
  }

  async prune(retentionHours: number): Promise<void> {
    await this.db.query(`DELETE FROM events WHERE created_at < now() - make_interval(hours => $1)`, [retentionHours]);
  }
}
