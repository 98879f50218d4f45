import { parseScratchEnvironmentRef, scratchEnvironmentRef } from '@sdo/contracts';
import { deliveryTag, isBackupName, isScratchDatabase, isScratchName, ScratchPrefix, scratchName } from './scratch-names';

const deliveryId = '3f2b8c1e-9a47-4d2e-b6f0-7c5d1e8a9b20';

describe('scratch database names', () => {
  it('are the names running deliveries already use (rehearsal clones, archives, cutover backups)', () => {
    expect(scratchName(ScratchPrefix.backup, deliveryId, '12')).toBe('sdo_backup_3f2b8c1e9a47_f6a2b3f5');
    expect(scratchName(ScratchPrefix.rehearsal, deliveryId, 'r1')).toBe('sdo_rehearsal_3f2b8c1e9a47_0680e08c');
    expect(scratchName(ScratchPrefix.rehearsalArchive, deliveryId, 'r1')).toBe('sdo_rehearsal_archive_3f2b8c1e9a47_0680e08c');
  });

  it('are the same on every retry, differ per key and delivery, carry the delivery tag and fit in 63 bytes', () => {
    const name = scratchName(ScratchPrefix.rehearsalArchive, deliveryId, 'r1');
    expect(scratchName(ScratchPrefix.rehearsalArchive, deliveryId, 'r1')).toBe(name);
    expect(scratchName(ScratchPrefix.rehearsalArchive, deliveryId, 'r2')).not.toBe(name);
    expect(scratchName(ScratchPrefix.rehearsalArchive, '9a9b8c1e-0000-4d2e-b6f0-7c5d1e8a9b20', 'r1')).not.toBe(name);
    expect(name).toContain(`_${deliveryTag(deliveryId)}_`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
  });

  it('tell scratch databases and backups from any other database', () => {
    const rehearsal = scratchName(ScratchPrefix.rehearsal, deliveryId, 'r1');
    const archive = scratchName(ScratchPrefix.rehearsalArchive, deliveryId, 'r1');
    const conversion = scratchName(ScratchPrefix.scratch, deliveryId, 'r1');
    const backup = scratchName(ScratchPrefix.backup, deliveryId, '12');
    for (const name of [rehearsal, archive, conversion]) expect(isScratchDatabase(name)).toBe(true);
    expect(isScratchName(ScratchPrefix.rehearsal, archive)).toBe(false);
    expect(isBackupName(backup)).toBe(true);
    // A backup is not a scratch database: dropping rehearsals can never drop it.
    expect(isScratchDatabase(backup)).toBe(false);
    expect(isBackupName(rehearsal)).toBe(false);
    for (const other of [
      'erp',
      'postgres',
      'template1',
      'sdo_backup',
      'sdo_backup_x_12345678',
      `${rehearsal}_x`,
      `x${backup}`,
      'sdo_scratch_a; DROP DATABASE erp',
    ]) {
      expect(isScratchDatabase(other)).toBe(false);
      expect(isBackupName(other)).toBe(false);
    }
  });

  it('accept the conversion and migration scratch databases named before the one scheme', () => {
    // What `scratchDatabaseName(deliveryId, 'r1')` (libs/contracts, before pg-kit) produced.
    const legacy = 'sdo_scratch_3f2b8c1e9a474d2eb6f07c5d_r1';
    expect(isScratchDatabase(legacy)).toBe(true);
    expect(parseScratchEnvironmentRef(scratchEnvironmentRef('env-1', legacy))).toEqual({ environmentId: 'env-1', database: legacy });
    const now = scratchName(ScratchPrefix.scratch, deliveryId, 'r1');
    expect(parseScratchEnvironmentRef(scratchEnvironmentRef('env-1', now))).toEqual({ environmentId: 'env-1', database: now });
  });
});
