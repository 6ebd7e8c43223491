import { Column, CreateDateColumn, Entity } from 'typeorm';

// Reason codes an agent (or a supervisor, or Teams presence sync) gives for being unavailable.
// `no_answer` is built in (the system sets it when an offer times out) and not stored.
@Entity('idle_reasons')
export class IdleReasonEntity {
  @Column({ type: 'uuid', primary: true })
  tenantId!: string;

  @Column({ type: 'text', primary: true })
  code!: string;

  @Column({ type: 'text' })
  label!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
