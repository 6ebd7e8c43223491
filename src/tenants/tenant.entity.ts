import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('tenants')
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  // Last realtime event sequence number handed out. Incremented inside the transaction that
  // writes the event, so the row lock orders commits: a client that has seen seq N has seen
  // every event below N.
  @Column({ type: 'bigint', default: 0 })
  eventSeq!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
