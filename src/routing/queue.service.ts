import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SkillsService } from '../skills/skills.service';
import type { RoutingMode } from './skill-routing.entity';
import { SkillRoutingService } from './skill-routing.service';

export interface QueueView {
  skillId: string;
  skillName: string;
  routingMode: RoutingMode;
  // Cases waiting (not yet offered); `offered`: cases currently offered to an agent.
  length: number;
  offered: number;
  oldestWaitSeconds: number | null;
  cases: Array<{ caseId: string; position: number; priority: number; queuedAt: string }>;
}

// The skills' queues as supervisors watch them: waiting cases by priority (higher first), then
// age (queued earlier first), with their positions.
@Injectable()
export class QueueService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly skills: SkillsService,
    private readonly routing: SkillRoutingService,
  ) {}

  async list(tenantId: string, skillIds: string[] | null, limit: number): Promise<QueueView[]> {
    const skills = (await this.skills.list(tenantId)).filter((s) => !skillIds || skillIds.includes(s.id));
    const ids = skills.map((s) => s.id);
    const modes = await this.routing.modes(tenantId);
    const rows: Array<{ id: string; skill_id: string; priority: number; queued_at: Date; position: string }> = await this.db.query(
      `SELECT * FROM (
         SELECT id, skill_id, priority, queued_at,
                row_number() OVER (PARTITION BY skill_id ORDER BY priority DESC, queued_at, id) AS position
           FROM cases WHERE tenant_id = $1 AND routing_state = 'queued' AND skill_id = ANY($2::uuid[])) q
        WHERE position <= $3 ORDER BY skill_id, position`,
      [tenantId, ids, limit],
    );
    const stats: Array<{ skill_id: string; queued: string; offered: string; oldest: Date | null }> = await this.db.query(
      `SELECT skill_id, count(*) FILTER (WHERE routing_state = 'queued') AS queued, count(*) FILTER (WHERE routing_state = 'offered') AS offered,
              min(queued_at) FILTER (WHERE routing_state = 'queued') AS oldest
         FROM cases WHERE tenant_id = $1 AND routing_state IN ('queued', 'offered') AND skill_id = ANY($2::uuid[]) GROUP BY skill_id`,
      [tenantId, ids],
    );
    const bySkill = new Map(stats.map((s) => [s.skill_id, s]));
    const now = Date.now();
    return skills.map((skill) => {
      const s = bySkill.get(skill.id);
      return {
        skillId: skill.id,
        skillName: skill.name,
        routingMode: modes.get(skill.id) ?? 'push',
        length: Number(s?.queued ?? 0),
        offered: Number(s?.offered ?? 0),
        oldestWaitSeconds: s?.oldest ? Math.max(0, Math.floor((now - new Date(s.oldest).getTime()) / 1000)) : null,
        cases: rows
          .filter((r) => r.skill_id === skill.id)
          .map((r) => ({ caseId: r.id, position: Number(r.position), priority: Number(r.priority), queuedAt: new Date(r.queued_at).toISOString() })),
      };
    });
  }
}
