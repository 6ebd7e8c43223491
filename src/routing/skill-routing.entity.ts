import { Column, Entity, ForeignKey, Index } from 'typeorm';
import { SkillEntity } from '../skills/skill.entity';
import type { BusinessHours } from './business-hours';
import type { SlaTarget } from './sla-policy';

export const ROUTING_MODES = ['push', 'manual', 'round_robin'] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

// A skill's routing settings; a skill without a row routes with the defaults (push, 30 s offers,
// always open, no SLA).
@Entity('skill_routing')
@Index(['tenantId'])
export class SkillRoutingEntity {
  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => SkillEntity, { name: 'fk_skill_routing_skill', onDelete: 'CASCADE' })
  skillId!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text', default: 'push' })
  routingMode!: RoutingMode;

  @Column({ type: 'integer', default: 30 })
  offerTimeoutSeconds!: number;

  @Column({ type: 'jsonb', nullable: true })
  businessHours!: BusinessHours | null;

  @Column({ type: 'text', nullable: true })
  outOfHoursReply!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  sla!: SlaTarget[];
}
