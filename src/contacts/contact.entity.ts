import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('contacts')
@Index(['tenantId', 'email'])
@Index(['tenantId', 'phone'])
export class ContactEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
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

  @Column({ type: 'uuid' })
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
