import { Check, Column, Entity, ForeignKey, Index } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { ChannelFamily } from './channel-family';

export const AGENT_STATES = ['available', 'unavailable', 'offline'] as const;
export type AgentStateName = (typeof AGENT_STATES)[number];
// Who made the latest change. Teams presence sync writes `teams` and may only undo its own changes.
export const STATE_SOURCES = ['agent', 'supervisor', 'system', 'teams'] as const;
export type StateSource = (typeof STATE_SOURCES)[number];

// A user's routing state. Created on first use (offline); routing offers cases only to
// `available` agents.
@Entity('agents')
@Index(['tenantId'])
export class AgentEntity {
  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => UserEntity, { name: 'fk_agents_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'text', default: 'offline' })
  state!: AgentStateName;

  @Column({ type: 'text', nullable: true })
  reasonCode!: string | null;

  @Column({ type: 'text', default: 'system' })
  source!: StateSource;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  since!: Date;

  // When the agent last became available or was last offered a case: "longest idle" ranks on it.
  @Column({ type: 'timestamptz', nullable: true })
  idleSince!: Date | null;

  // The state the agent had when the system took them offline for lack of a connection: they
  // get it back when they reconnect.
  @Column({ type: 'text', nullable: true })
  resumeState!: AgentStateName | null;

  @Column({ type: 'text', nullable: true })
  resumeReasonCode!: string | null;
}

// Socket presence, apart from the state row so that heartbeats never contend with routing's
// locks on `agents`. Every instance refreshes `seen_at` for the agents connected to it;
// `disconnected_at` is set when an agent's last socket closes.
@Entity('agent_presence')
export class AgentPresenceEntity {
  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => UserEntity, { name: 'fk_agent_presence_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  seenAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  disconnectedAt!: Date | null;
}

// How many cases an agent holds (offered or assigned) per channel family. Routing raises it only
// with a conditional `load = load + 1 … WHERE load < capacity` (CapacityService.reserve): the row
// lock serialises concurrent raises and PostgreSQL re-checks the condition on the latest row, so
// no interleaving of instances or requests can push an agent past capacity.
@Entity('agent_loads')
@Check('ck_agent_loads_not_negative', '"load" >= 0')
export class AgentLoadEntity {
  @Column({ type: 'uuid', primary: true })
  @ForeignKey(() => UserEntity, { name: 'fk_agent_loads_user', onDelete: 'CASCADE' })
  userId!: string;

  @Column({ type: 'text', primary: true })
  family!: ChannelFamily;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'integer', default: 0 })
  load!: number;
}
