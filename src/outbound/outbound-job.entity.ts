import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// The durable outbound queue: one row per message to deliver, claimed by workers with
// FOR UPDATE SKIP LOCKED so that several server processes share it without double sends.
@Entity('outbound_jobs')
@Index('idx_outbound_jobs_due', ['runAt'])
export class OutboundJobEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid', unique: true })
  messageId!: string;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz' })
  runAt!: Date;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
