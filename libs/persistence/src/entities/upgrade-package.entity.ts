import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export interface StoredUpgradeScript {
  version: string;
  description: string;
  sql: string;
  checksum: string;
}

export interface StoredVerification {
  name: string;
  sql: string;
  expect: 'rows' | 'no-rows' | { equals: string };
  /** `verificationChecksum` (upgrade-kit); absent on packages registered before verifications were checksummed. */
  checksum?: string;
}

/** A versioned, checksummed set of upgrade scripts, registered once and referenced by deliveries. */
@Entity('upgrade_packages')
@Unique('uq_upgrade_package_name', ['name'])
export class UpgradePackageEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column() name!: string;
  @Column() product!: string;
  @Column({ type: 'jsonb' }) scripts!: StoredUpgradeScript[];
  @Column({ type: 'jsonb' }) verifications!: StoredVerification[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
