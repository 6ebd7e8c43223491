import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ChannelEntity } from '../channels/channel.entity';

// A customer who sent an opt-out keyword (SMS STOP…) on one channel: agents may not message that
// address there until an opt-in keyword (START…) removes the row. Per channel, because consent
// is given to a sender number, not to the tenant.
@Entity('opt_outs')
@Index(['channelId', 'address'], { unique: true })
export class OptOutEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => ChannelEntity, { name: 'fk_opt_outs_channel', onDelete: 'CASCADE' })
  channelId!: string;

  @Column({ type: 'text' })
  address!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
