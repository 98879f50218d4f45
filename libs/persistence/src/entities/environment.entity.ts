import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const DATABASE_ENGINES = ['postgres', 'mysql', 'sqlite'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** A customer database SDO works on. The password is stored encrypted (see SecretBox). */
@Entity('environments')
@Unique('uq_environment_customer_name', ['customerId', 'name'])
export class EnvironmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'customer_id' }) customerId!: string;
  @Column() name!: string;
  @Column({ type: 'text' }) engine!: DatabaseEngine;
  @Column({ type: 'text', nullable: true }) host!: string | null;
  @Column({ type: 'int', nullable: true }) port!: number | null;
  /** Database name, or the file path for SQLite. */
  @Column() database!: string;
  @Column({ type: 'text', nullable: true }) username!: string | null;
  @Column({ name: 'secret_ciphertext', type: 'text', nullable: true }) secretCiphertext!: string | null;
  @Column({ default: false }) ssl!: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
