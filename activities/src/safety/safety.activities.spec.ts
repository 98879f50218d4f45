import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DeliveryError, DeliveryFailureType, LEGACY_SAFETY_ACTIVITIES } from '@sdo/contracts';
import type { ConnectionSettings } from '@sdo/persistence';
import { databaseExists, dropDatabase, ScratchPrefix, scratchName, withClient, type TargetConnection } from '@sdo/pg-kit';
import { createScratchDatabase, ScratchDatabase, testStack } from '@sdo/testing';
import { createActivities } from '../index';
import { createSafetyActivities, legacySafetyAliases } from './safety.activities';

/** The shared safety steps and their former per-service names, against the real PostgreSQL of the test stack. */

const settingsOf = (url: string): ConnectionSettings => {
  const u = new URL(url);
  return {
    environmentId: '',
    engine: 'postgres',
    host: u.hostname,
    port: Number(u.port),
    database: u.pathname.slice(1),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    ssl: false,
  };
};

let live: ScratchDatabase;
let archive: ScratchDatabase;
const byEnvironment: Record<string, ConnectionSettings> = {};
const environments = { connectionFor: async (id: string) => byEnvironment[id]! };
const safety = createSafetyActivities({ environments });
const aliases = legacySafetyAliases(safety);
const deliveryId = randomUUID();
const server = (): TargetConnection => settingsOf(testStack().postgresUrl);
const made: string[] = [];
const rows = (db: string) => withClient({ ...server(), database: db }, async (c) => (await c.query('SELECT count(*)::int AS n FROM ledger')).rows[0].n);

beforeAll(async () => {
  live = await createScratchDatabase('safety_live');
  archive = await createScratchDatabase('safety_archive');
  byEnvironment['env-live'] = settingsOf(live.url);
  byEnvironment['env-archive'] = settingsOf(archive.url);
  await withClient(settingsOf(live.url), (c) => c.query('CREATE TABLE ledger (v int); INSERT INTO ledger VALUES (1), (2)'));
});

afterAll(async () => {
  for (const name of made) await dropDatabase(server(), name);
  await live?.drop();
  await archive?.drop();
});

it('registers the four shared steps and every former per-service name', () => {
  const registered = Object.keys(createActivities({ environments, packages: {}, reports: {}, artifacts: {} } as never));
  for (const name of ['backupDatabase', 'restoreDatabase', 'discardBackup', 'dropScratchDatabase', ...LEGACY_SAFETY_ACTIVITIES])
    expect(registered).toContain(name);
});

it("a former name backs up the service's own database under the name a running delivery expects, and restores it", async () => {
  const request = { deliveryId, liveEnvironmentId: 'env-live', archiveEnvironmentId: 'env-archive', parameters: { cutoffPeriod: '2024-01' } } as never;
  const { backupDatabase } = (await new MockActivityEnvironment({ activityId: '17' }).run(() => aliases.backupLive(request))) as { backupDatabase: string };
  made.push(backupDatabase);
  expect(backupDatabase).toBe(scratchName(ScratchPrefix.backup, deliveryId, '17'));
  await withClient(settingsOf(live.url), (c) => c.query('DELETE FROM ledger'));
  await new MockActivityEnvironment().run(() => aliases.restoreLive({ ...(request as object), backupDatabase } as never));
  expect(await rows(live.name)).toBe(2);
  await aliases.discardLiveBackup({ ...(request as object), backupDatabase } as never);
  expect(await databaseExists(server(), backupDatabase)).toBe(false);
});

it('refuses to restore the live database from, or discard, anything but a cutover backup (carryover had no such guard)', async () => {
  const request = { deliveryId, liveEnvironmentId: 'env-live', archiveEnvironmentId: 'env-archive', parameters: { cutoffPeriod: '2024-01' } };
  for (const step of [aliases.restoreLive, aliases.discardLiveBackup, aliases.restoreSplitSource, aliases.discardSplitSourceBackup]) {
    const err = await new MockActivityEnvironment()
      .run(() => step({ ...request, sourceEnvironmentId: 'env-live', targetEnvironmentId: 'env-archive', backupDatabase: archive.name } as never))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).type).toBe(DeliveryFailureType.InvalidParameters);
  }
  expect(await rows(live.name)).toBe(2);
  expect(await databaseExists(server(), archive.name)).toBe(true);
});

it("drops a carryover rehearsal's two scratch databases on their own servers, and nothing else", async () => {
  const liveDatabase = scratchName(ScratchPrefix.rehearsal, deliveryId, 'r1');
  const archiveDatabase = scratchName(ScratchPrefix.rehearsalArchive, deliveryId, 'r1');
  made.push(liveDatabase, archiveDatabase);
  await withClient(server(), async (c) => {
    await c.query(`CREATE DATABASE "${liveDatabase}"`);
    await c.query(`CREATE DATABASE "${archiveDatabase}"`);
  });
  const request = { deliveryId, liveEnvironmentId: 'env-live', archiveEnvironmentId: 'env-archive' };
  await aliases.dropCarryoverRehearsal({ ...request, rehearsal: { liveDatabase, archiveDatabase } } as never);
  expect(await databaseExists(server(), liveDatabase)).toBe(false);
  expect(await databaseExists(server(), archiveDatabase)).toBe(false);
  await expect(aliases.dropRehearsalDatabase({ ...request, targetEnvironmentId: 'env-archive', scratchDatabase: archive.name } as never)).rejects.toThrow(
    'is not a rehearsal database',
  );
  expect(await databaseExists(server(), archive.name)).toBe(true);
});
