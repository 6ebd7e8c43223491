import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantEntity } from '../tenants/tenant.entity';

@Entity('contacts')
@Index(['tenantId', 'email'])
@Index(['tenantId', 'phone'])
export class ContactEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey(() => TenantEntity, { name: 'fk_contacts_tenant' })
  tenantId!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  // Lower-cased. Identities sharing an email or phone belong to one contact.
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  // E.164.
  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

// One address of a contact on one kind of channel. `scope` isolates address spaces that are
// per channel rather than per provider (a BYOC user id means nothing outside its channel).
@Entity('contact_identities')
@Index(['tenantId', 'channelType', 'scope', 'address'], { unique: true })
@Index(['contactId'])
export class ContactIdentityEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  // Checked at commit: written in the same transaction as its contact (see the ForeignKeys
  // migration); an identity goes with its contact.
  @Column({ type: 'uuid' })
  @ForeignKey(() => ContactEntity, { name: 'fk_contact_identities_contact', onDelete: 'CASCADE', deferrable: 'INITIALLY DEFERRED' })
  contactId!: string;

  @Column({ type: 'text' })
  channelType!: string;

  @Column({ type: 'text', default: '' })
  scope!: string;

  @Column({ type: 'text' })
  address!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
