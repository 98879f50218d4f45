import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { ScratchDatabase, createScratchDatabase, testStack } from '@sdo/testing';
import {
  ScriptEvent,
  UpgradePackage,
  applyPending,
  assertApplicable,
  assertVerificationsPassed,
  assessTarget,
  checkAgainstTarget,
  detectCollisions,
  fingerprintDatabase,
  loadPackage,
  readCurrentVersion,
  readHistory,
  runVerifications,
  assertReadOnlyVerifications,
  verificationChecksum,
  verificationProblems,
} from './index';
import { expectDeliveryError, targetConnectionOf } from '@sdo/pg-kit/testing';
import { FIXTURES } from './testing-fixtures';
import {
  assertCanCloneDatabase,
  cloneDatabase,
  cloneToScratch,
  connect,
  databaseExists,
  dropDatabase,
  restoreFromBackup,
  ScratchPrefix,
  scratchName,
  TargetConnection,
  withClient,
} from '@sdo/pg-kit';

/** Integration specs against the real PostgreSQL of the test stack. */

const pkg = loadPackage(join(FIXTURES, 'packages/erp-2.1'));
const broken = loadPackage(join(FIXTURES, 'packages/erp-2.1-broken'));

let base: ScratchDatabase;
const scratch: ScratchDatabase[] = [];
let server: TargetConnection;

/** A fresh copy of the ERP v1 fixture database. */
async function freshTarget(): Promise<TargetConnection> {
  const db = await createScratchDatabase('uk_target', base.name);
  scratch.push(db);
  return targetConnectionOf(db.url);
}

beforeAll(async () => {
  server = targetConnectionOf(testStack().postgresUrl);
  base = await createScratchDatabase('uk_erp_v1');
  await withClient(targetConnectionOf(base.url), (c) => c.query(readFileSync(join(FIXTURES, 'erp-v1.sql'), 'utf8')));
});

afterAll(async () => {
  for (const db of scratch) await db.drop();
  await base?.drop();
});

describe('assessment of a v1 target', () => {
  it('reports no version, every script pending, no collisions, the size and an estimate', async () => {
    const target = await freshTarget();
    const report = await assessTarget(target, pkg);
    expect(report.currentVersion).toBeNull();
    expect(report.targetVersion).toBe('2.1.1');
    expect(report.pending.map((p) => p.version)).toEqual(['2.0.0', '2.0.1', '2.1.0', '2.1.1']);
    expect(report.problems).toEqual([]);
    expect(report.collisions).toEqual([]);
    expect(report.sizing.tableCount).toBe(8);
    expect(report.sizing.rowsEstimate).toBeGreaterThan(2500);
    expect(report.sizing.largestTables[0]!.totalBytes).toBeGreaterThan(0);
    expect(report.estimate.totalSeconds).toBeGreaterThanOrEqual(4 * 2 + 5);
    await assertCanCloneDatabase(target);
  });
});

describe('applying the package', () => {
  it('upgrades v1 to 2.1.1 script by script, records the history, verifies, and is a no-op when re-run', async () => {
    const target = await freshTarget();
    const events: ScriptEvent[] = [];
    const result = await applyPending(target, pkg, { installedBy: 'delivery upgrade:SO-1', onScript: (e) => void events.push(e) });

    expect(result.versionBefore).toBeNull();
    expect(result.versionAfter).toBe('2.1.1');
    expect(result.applied.map((a) => a.version)).toEqual(['2.0.0', '2.0.1', '2.1.0', '2.1.1']);
    expect(events.map((e) => `${e.kind} ${e.version}`)).toEqual([
      'started 2.0.0',
      'applied 2.0.0',
      'started 2.0.1',
      'applied 2.0.1',
      'started 2.1.0',
      'applied 2.1.0',
      'started 2.1.1',
      'applied 2.1.1',
    ]);

    const history = await withClient(target, readHistory);
    expect(history.map((h) => [h.installedRank, h.version, h.description, h.success, h.installedBy])).toEqual([
      [1, '2.0.0', 'price lists', true, 'delivery upgrade:SO-1'],
      [2, '2.0.1', 'customer credit control', true, 'delivery upgrade:SO-1'],
      [3, '2.1.0', 'sales order totals', true, 'delivery upgrade:SO-1'],
      [4, '2.1.1', 'reporting views', true, 'delivery upgrade:SO-1'],
    ]);
    expect(history.every((h) => h.executionTimeMs >= 0 && /^[0-9a-f]{64}$/.test(h.checksum))).toBe(true);
    expect(await withClient(target, readCurrentVersion)).toBe('2.1.1');

    // The schema really changed and the data migrated.
    const check = await withClient(target, (c) =>
      c.query<{ n: string; limits: string }>(`SELECT count(*)::text AS n, min(credit_limit)::text AS limits FROM customers`),
    );
    expect(Number(check.rows[0]!.limits)).toBeGreaterThanOrEqual(10000);

    const verifications = await runVerifications(target, pkg);
    expect(verifications.map((v) => [v.name, v.passed])).toEqual(pkg.verifications.map((v) => [v.name, true]));
    expect(() => assertVerificationsPassed(verifications)).not.toThrow();

    const before = await withClient(target, fingerprintDatabase);
    const again = await applyPending(target, pkg, { installedBy: 'someone else' });
    expect(again.applied).toEqual([]);
    expect(again.versionBefore).toBe('2.1.1');
    expect(again.versionAfter).toBe('2.1.1');
    expect(await withClient(target, fingerprintDatabase)).toEqual(before);
  });

  it('lets only one of two concurrent runs apply the scripts (advisory lock)', async () => {
    const target = await freshTarget();
    const [a, b] = await Promise.all([applyPending(target, pkg, { installedBy: 'a' }), applyPending(target, pkg, { installedBy: 'b' })]);
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, 4]);
    expect(await withClient(target, readHistory)).toHaveLength(4);
  });

  it('cancels the running script on abort: it is rolled back and the abort reason is thrown', async () => {
    const target = await freshTarget();
    const slow: UpgradePackage = {
      ...pkg,
      scripts: [pkg.scripts[0]!, { version: '2.0.1', description: 'slow', sql: 'CREATE TABLE half_done (x int); SELECT pg_sleep(20);' }],
    };
    const controller = new AbortController();
    const started = Date.now();
    const run = applyPending(target, slow, {
      installedBy: 't',
      signal: controller.signal,
      onScript: (e) => {
        if (e.kind === 'started' && e.version === '2.0.1') setTimeout(() => controller.abort(new Error('delivery cancelled')), 300);
      },
    });
    await expect(run).rejects.toThrow('delivery cancelled');
    expect(Date.now() - started).toBeLessThan(10_000);
    const state = await withClient(target, async (c) => ({
      history: (await readHistory(c)).map((h) => h.version),
      halfDone: (await c.query(`SELECT to_regclass('half_done') IS NOT NULL AS x`)).rows[0].x,
    }));
    expect(state).toEqual({ history: ['2.0.0'], halfDone: false });
  });

  it('fails validation when an applied script was edited, naming the version', async () => {
    const target = await freshTarget();
    await applyPending(target, { ...pkg, scripts: pkg.scripts.slice(0, 2) }, { installedBy: 't' });
    const edited: UpgradePackage = {
      ...pkg,
      scripts: pkg.scripts.map((s) => (s.version === '2.0.1' ? { ...s, sql: s.sql.replace('10000', '20000') } : s)),
    };
    const validation = await withClient(target, (c) => checkAgainstTarget(c, edited));
    expect(validation.problems.map((p) => [p.code, p.version])).toEqual([['checksum-mismatch', '2.0.1']]);
    const err = await expectDeliveryError(applyPending(target, edited, { installedBy: 't' }), DeliveryFailureType.InvalidPackage);
    expect(err.message).toContain('script 2.0.1');
    expect(err.message).toContain('changed after it was applied');
    expect(err.nonRetryable).toBe(true);
    expect(await withClient(target, readCurrentVersion)).toBe('2.0.1'); // nothing more was applied

    // The unedited package carries on from 2.0.1.
    const rest = await applyPending(target, pkg, { installedBy: 't' });
    expect(rest.applied.map((a) => a.version)).toEqual(['2.1.0', '2.1.1']);
  });

  it('refuses scripts older than the applied version, scripts missing from the package, and a failed history row', async () => {
    const target = await freshTarget();
    const [s200, s201, s210, s211] = pkg.scripts as [
      UpgradePackage['scripts'][0],
      UpgradePackage['scripts'][0],
      UpgradePackage['scripts'][0],
      UpgradePackage['scripts'][0],
    ];
    await applyPending(target, { ...pkg, scripts: [s200, s210] }, { installedBy: 't' });
    const late = await withClient(target, (c) => checkAgainstTarget(c, { ...pkg, scripts: [s200, s201, s210, s211] }));
    expect(late.problems.map((p) => [p.code, p.version])).toEqual([['out-of-order', '2.0.1']]);
    expect(() => assertApplicable(pkg, late)).toThrow(/not applied but the target is already at 2\.1\.0/);

    const missing = await withClient(target, (c) => checkAgainstTarget(c, { ...pkg, scripts: [s210, s211] }));
    expect(missing.problems.map((p) => [p.code, p.version])).toEqual([['applied-script-missing', '2.0.0']]);

    await withClient(target, (c) => c.query(`INSERT INTO sdo_schema_history VALUES (3, '2.1.1', 'reporting views', 'x', 'manual', now(), 5, false)`));
    const err = await expectDeliveryError(
      applyPending(target, { ...pkg, scripts: [s200, s210, s211] }, { installedBy: 't' }),
      DeliveryFailureType.InvalidPackage,
    );
    expect(err.message).toContain('failed run of script 2.1.1');
  });
});

describe('customisation collisions', () => {
  it('lists objects the pending scripts create that the customer already made', async () => {
    const target = await freshTarget();
    await withClient(target, (c) =>
      c.query(`
        CREATE TABLE price_lists (id int PRIMARY KEY, note text);            -- customer-made, package 2.0.0 creates it
        ALTER TABLE customers ADD COLUMN credit_hold boolean;               -- package 2.0.1 adds it
        CREATE FUNCTION order_total(int) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric'; -- 2.1.1 replaces it
        CREATE TABLE "voucher_no_seq" (x int);                              -- 2.1.1 creates a sequence of that name
        CREATE TABLE price_list_items_custom (x int);                       -- no collision
      `),
    );
    const collisions = await withClient(target, (c) => detectCollisions(c, pkg));
    expect(collisions).toEqual([
      { kind: 'table', name: 'public.price_lists', scriptVersion: '2.0.0', existing: 'table', overwrites: false },
      { kind: 'column', name: 'public.customers.credit_hold', scriptVersion: '2.0.1', existing: 'column', overwrites: false },
      { kind: 'sequence', name: 'public.voucher_no_seq', scriptVersion: '2.1.1', existing: 'table', overwrites: false },
      { kind: 'function', name: 'public.order_total', scriptVersion: '2.1.1', existing: 'function', overwrites: true },
    ]);
    expect((await assessTarget(target, pkg)).collisions).toHaveLength(4);
  });

  it('does not count objects created by the applied part of the history', async () => {
    const target = await freshTarget();
    await applyPending(target, { ...pkg, scripts: pkg.scripts.slice(0, 1) }, { installedBy: 't' });
    expect(await withClient(target, (c) => detectCollisions(c, pkg))).toEqual([]);
  });
});

describe('cutover failure and compensation', () => {
  it('rolls back the failing script only, and restoreFromBackup puts the target back exactly as before', async () => {
    const target = await freshTarget();
    // Only a cutover backup (its name made by the toolkit) may replace a database.
    const backup = scratchName(ScratchPrefix.backup, randomUUID(), 'cutover');
    const before = await withClient(target, fingerprintDatabase);
    await cloneDatabase(server, target.database, backup, { terminateSessions: true });
    scratch.push({ name: backup, url: '', drop: () => dropDatabase(server, backup) });

    const events: ScriptEvent[] = [];
    const err = await expectDeliveryError(
      applyPending(target, broken, { installedBy: 'cutover', onScript: (e) => void events.push(e) }),
      DeliveryFailureType.ScriptFailed,
    );
    expect(err.message).toContain('Script 2.0.1 (customer credit control) failed');
    expect(err.message).toContain('23505');
    expect(err.message).toContain('2.0.0 were applied before it');
    expect(err.details).toMatchObject({ version: '2.0.1', sqlState: '23505', appliedBefore: ['2.0.0'] });
    expect(events.map((e) => `${e.kind} ${e.version}`)).toEqual(['started 2.0.0', 'applied 2.0.0', 'started 2.0.1']);

    // 2.0.0 stays applied and recorded; nothing of 2.0.1 (its columns, its UPDATE) is left; 2.1.0 never ran.
    const state = await withClient(target, async (c) => ({
      history: (await readHistory(c)).map((h) => `${h.version} ${h.success}`),
      priceLists: (await c.query(`SELECT to_regclass('price_lists') IS NOT NULL AS x`)).rows[0].x,
      creditColumns: (await c.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'customers' AND column_name LIKE 'credit%'`))
        .rows[0].n,
      totals: (await c.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE column_name = 'total_amount'`)).rows[0].n,
    }));
    expect(state).toEqual({ history: ['2.0.0 true'], priceLists: true, creditColumns: 0, totals: 0 });
    expect((await withClient(target, fingerprintDatabase)).hash).not.toBe(before.hash);

    // An open session on the target does not stop the compensation.
    const lingering = await connect(target);
    lingering.on('error', () => undefined);
    await restoreFromBackup(target, backup);
    await lingering.end().catch(() => undefined);

    const after = await withClient(target, fingerprintDatabase);
    expect(after.schema).toEqual(before.schema);
    expect(after.tables).toEqual(before.tables);
    expect(after.hash).toBe(before.hash);
    expect(await withClient(target, readCurrentVersion)).toBeNull();
    expect(await databaseExists(server, backup)).toBe(true);
  });

  it('refuses to restore from a backup that does not exist and leaves the target alone', async () => {
    const target = await freshTarget();
    await expectDeliveryError(restoreFromBackup(target, scratchName(ScratchPrefix.backup, randomUUID(), 'never-taken')), DeliveryFailureType.MissingObject);
    expect(await databaseExists(server, target.database)).toBe(true);
  });

  it('does not copy a database in use unless told to disconnect its sessions', async () => {
    const target = await freshTarget();
    const session = await connect(target);
    session.on('error', () => undefined);
    try {
      const err = await expectDeliveryError(cloneDatabase(server, target.database, `${target.database}_c`), DeliveryFailureType.Unreachable);
      expect(err.message).toContain('in use by other sessions');
      expect(err.nonRetryable).toBe(false);
    } finally {
      await session.end().catch(() => undefined);
    }
  }, 30_000);
});

describe('rehearsal clone of a target in use', () => {
  it('copies it online while sessions hold it open and write, equal to its committed state, disconnecting no one', async () => {
    const target = await freshTarget();
    await applyPending(target, pkg, { installedBy: 't' });
    // What a live ERP also has: extensions, an enum, an identity column, a trigger function, a view over a view, a second schema.
    await withClient(target, (c) =>
      c.query(`
        CREATE EXTENSION citext;
        CREATE EXTENSION pg_trgm;
        CREATE TYPE order_state AS ENUM ('open', 'it''s shipped');
        CREATE SCHEMA audit;
        CREATE TABLE audit.events (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 7) PRIMARY KEY, state order_state NOT NULL DEFAULT 'open',
                                   customer_id int REFERENCES public.customers (id), at timestamptz NOT NULL DEFAULT now(), total numeric GENERATED ALWAYS AS (id * 2) STORED);
        ALTER TABLE audit.events ADD COLUMN note citext;
        CREATE INDEX events_note_trgm ON audit.events USING gin (note gin_trgm_ops);
        CREATE FUNCTION audit.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit.events (customer_id) VALUES (NEW.id); RETURN NEW; END $$;
        CREATE TRIGGER customers_audit AFTER UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION audit.touch();
        UPDATE customers SET name = name || '' WHERE id <= 3;
        CREATE VIEW audit.recent AS SELECT e.id, c.name FROM audit.events e JOIN customers c ON c.id = e.customer_id;
        CREATE VIEW audit.recent_names AS SELECT DISTINCT name FROM audit.recent;
        SELECT nextval('voucher_no_seq');`),
    );
    const before = await withClient(target, fingerprintDatabase);
    const writer = await connect(target);
    const idle = await connect(target);
    const rehearsal = scratchName(ScratchPrefix.rehearsal, randomUUID(), 'busy');
    scratch.push({ name: rehearsal, url: '', drop: () => dropDatabase(server, rehearsal) });
    try {
      await writer.query(
        `BEGIN; UPDATE items SET description = 'uncommitted' WHERE id = 1; INSERT INTO organisations (id, code, name) VALUES (999, 'X', 'uncommitted')`,
      );
      expect(await cloneToScratch(target, rehearsal)).toBe('online-copy');
      const clone = { ...target, database: rehearsal };
      const copied = await withClient(clone, fingerprintDatabase);
      // PostgreSQL deparses `IN (…)` checks over varchar into a different (equivalent) text once recreated,
      // as after any dump and restore: those are compared by name here and proven enforced below.
      const checkNamesOnly = (lines: string[]) =>
        lines.map((l) => (l.startsWith('constraint ') && l.includes(' CHECK ') ? l.slice(0, l.indexOf(' CHECK ')) : l));
      expect(checkNamesOnly(copied.schema)).toEqual(checkNamesOnly(before.schema));
      expect(copied.schema.filter((l) => !before.schema.includes(l)).every((l) => /_check CHECK .*= ANY \(ARRAY\[/.test(l))).toBe(true);
      expect(copied.tables).toEqual(before.tables);
      await withClient(clone, async (c) => {
        await expect(c.query(`UPDATE sales_orders SET status = 'lost' WHERE id = 1`)).rejects.toMatchObject({ code: '23514' });
        await expect(c.query(`UPDATE gl_accounts SET account_type = 'x' WHERE id = 1`)).rejects.toMatchObject({ code: '23514' });
      });
      // The copy works: its trigger fires, its identity continues where the source stood.
      const fired = await withClient(clone, async (c) => {
        await c.query(`UPDATE customers SET name = name WHERE id = 1`);
        return (
          await c.query<{ id: string; names: number }>(`SELECT max(id)::text AS id, (SELECT count(*)::int FROM audit.recent_names) AS names FROM audit.events`)
        ).rows[0];
      });
      expect(fired).toEqual({ id: '10', names: 3 });
      // No one was disconnected: both sessions go on, and the writer's transaction commits on the target only.
      await writer.query('COMMIT');
      expect((await idle.query('SELECT 1 AS x')).rows[0].x).toBe(1);
      expect((await withClient(target, (c) => c.query(`SELECT description FROM items WHERE id = 1`))).rows[0].description).toBe('uncommitted');
    } finally {
      await writer.end().catch(() => undefined);
      await idle.end().catch(() => undefined);
    }
  }, 60_000);

  it('still takes the template fast path when the target is idle', async () => {
    const target = await freshTarget();
    const rehearsal = scratchName(ScratchPrefix.rehearsal, randomUUID(), 'idle');
    scratch.push({ name: rehearsal, url: '', drop: () => dropDatabase(server, rehearsal) });
    expect(await cloneToScratch(target, rehearsal)).toBe('template');
    expect((await withClient({ ...target, database: rehearsal }, fingerprintDatabase)).hash).toBe((await withClient(target, fingerprintDatabase)).hash);
  }, 30_000);
});

describe('verifications', () => {
  it('report each failure with its detail, and the helper throws VerificationFailed listing them', async () => {
    const target = await freshTarget();
    await applyPending(target, pkg, { installedBy: 't' });
    await withClient(target, (c) => c.query(`UPDATE sales_orders SET total_amount = total_amount + 1 WHERE order_no = 'SO000007'`));
    await withClient(target, (c) => c.query(`DELETE FROM price_lists WHERE organisation_id = 3`));

    const results = await runVerifications(target, pkg);
    const failed = results.filter((r) => !r.passed);
    expect(failed.map((f) => f.name)).toEqual([
      'every item has a standard price list entry',
      'one standard price list per organisation',
      'stored order totals equal the sum of their lines',
    ]);
    expect(failed[1]!.detail).toBe('expected "3", got "2"');
    expect(failed[2]!.detail).toMatch(/^expected no rows, got 1 \(first row: SO000007, /);
    const err = (() => {
      try {
        assertVerificationsPassed(results);
      } catch (e) {
        return e as DeliveryError;
      }
      throw new Error('expected VerificationFailed');
    })();
    expect(err.type).toBe(DeliveryFailureType.VerificationFailed);
    expect(err.message).toContain('3 of 5 verifications failed');
    expect(err.message).toContain('"stored order totals equal the sum of their lines": expected no rows, got 1');
  });

  it('count a query error as a failure and can never change the target', async () => {
    const target = await freshTarget(); // not upgraded: price_lists does not exist
    const results = await runVerifications(target, {
      ...pkg,
      verifications: [pkg.verifications[1]!, { name: 'tries to write', sql: `DELETE FROM customers RETURNING id`, expect: 'no-rows' }],
    });
    expect(results.map((r) => r.passed)).toEqual([false, false]);
    expect(results[0]!.detail).toContain('relation "price_lists" does not exist');
    expect(results[1]!.detail).toContain('read-only transaction');
    const n = await withClient(target, (c) => c.query<{ n: number }>('SELECT count(*)::int AS n FROM customers'));
    expect(n.rows[0]!.n).toBe(60);
  });
});

describe('read-only verifications (issue #8 item 7)', () => {
  const attack = {
    name: 'ends its transaction',
    sql: 'COMMIT; CREATE TABLE sdo_was_here (a int); UPDATE customers SET payment_terms = 0; SELECT 1',
    expect: 'rows' as const,
  };

  it("are vetted by PostgreSQL's parser: the fixture package passes, a verification that writes is refused by name", async () => {
    expect(await verificationProblems(pkg)).toEqual([]);
    const vetted = await verificationProblems({
      verifications: [
        pkg.verifications[0]!,
        attack,
        { name: 'flips', sql: "SELECT set_config('default_transaction_read_only', 'off', false)", expect: 'rows' },
      ],
    });
    expect(vetted).toEqual([
      { index: 1, name: 'ends its transaction', reason: 'must be a single statement, not 4' },
      { index: 2, name: 'flips', reason: 'calls set_config(), which is not on the list of side-effect-free functions a verification may use' },
    ]);
    await expect(assertReadOnlyVerifications({ ...pkg, verifications: [attack] })).rejects.toMatchObject({
      type: DeliveryFailureType.InvalidPackage,
      message: expect.stringContaining('"ends its transaction" must be a single statement'),
    });
  });

  it('run as one statement in a read-only transaction they cannot end, even when the vetting is skipped', async () => {
    const target = await freshTarget();
    const before = await withClient(target, (c) => c.query<{ n: string }>('SELECT sum(payment_terms)::text AS n FROM customers'));
    const results = await runVerifications(target, { ...pkg, verifications: [attack] });
    expect(results).toMatchObject([
      { name: 'ends its transaction', passed: false, detail: expect.stringMatching(/cannot insert multiple commands into a prepared statement/) },
    ]);
    const after = await withClient(target, (c) =>
      c.query<{ n: string; t: string | null }>(`SELECT sum(payment_terms)::text AS n, to_regclass('sdo_was_here')::text AS t FROM customers`),
    );
    expect(after.rows[0]).toEqual({ n: before.rows[0]!.n, t: null });
  });

  it('are part of what the package checksums: any change to name, query or expectation changes it', () => {
    const v = pkg.verifications[0]!;
    const sums = new Set([v, { ...v, sql: `${v.sql} ` }, { ...v, name: `${v.name}!` }, { ...v, expect: { equals: '0' } }].map(verificationChecksum));
    expect(sums.size).toBe(4);
    expect(verificationChecksum({ ...v, sql: v.sql.replace(/\n/g, '\r\n') })).toBe(verificationChecksum(v));
  });
});

describe('connections and privileges', () => {
  it('classifies a wrong password, an unknown database and a refused connection, without leaking secrets', async () => {
    const secret = 'not-the-Password-123';
    const target = await freshTarget();
    const bad = await expectDeliveryError(
      withClient({ ...target, password: secret }, async () => 1),
      DeliveryFailureType.BadCredentials,
    );
    expect(bad.message).toContain(target.database);
    expect(bad.nonRetryable).toBe(true);
    for (const leak of [secret, server.password, server.host, String(server.port), server.user]) expect(bad.message).not.toContain(leak);

    const missing = await expectDeliveryError(
      withClient({ ...server, database: 'no_such_erp' }, async () => 1),
      DeliveryFailureType.EnvironmentNotFound,
    );
    expect(missing.message).toContain('"no_such_erp" does not exist');

    const refused = await expectDeliveryError(
      withClient({ ...server, port: 1 }, async () => 1),
      DeliveryFailureType.Unreachable,
    );
    expect(refused.nonRetryable).toBe(false);
    expect(refused.message).not.toContain(server.host);
  });

  it('refuses a role that cannot create databases with InsufficientPrivileges', async () => {
    const target = await freshTarget();
    const role = `uk_plain_${Date.now().toString(36)}`;
    await withClient(server, (c) => c.query(`CREATE ROLE ${role} LOGIN PASSWORD 'plain-pw'`));
    try {
      const err = await expectDeliveryError(
        assertCanCloneDatabase({ ...target, user: role, password: 'plain-pw' }),
        DeliveryFailureType.InsufficientPrivileges,
      );
      expect(err.message).toContain('CREATEDB');
      await withClient(server, (c) => c.query(`ALTER ROLE ${role} CREATEDB`));
      const notOwner = await expectDeliveryError(
        assertCanCloneDatabase({ ...target, user: role, password: 'plain-pw' }),
        DeliveryFailureType.InsufficientPrivileges,
      );
      expect(notOwner.message).toContain('does not own');
    } finally {
      await withClient(server, (c) => c.query(`DROP ROLE ${role}`));
    }
  });

  it('quotes every identifier: a database name cannot inject SQL', async () => {
    const target = await freshTarget();
    const victim = await createScratchDatabase('uk_victim');
    scratch.push(victim);
    const evil = `x"; DROP DATABASE "${victim.name}"; --`;
    await cloneDatabase(server, target.database, evil);
    try {
      expect(await databaseExists(server, evil)).toBe(true);
      expect(await databaseExists(server, victim.name)).toBe(true);
      const copy = await withClient({ ...target, database: evil }, (c) => c.query<{ n: number }>('SELECT count(*)::int AS n FROM organisations'));
      expect(copy.rows[0]!.n).toBe(3);
    } finally {
      await dropDatabase(server, evil);
    }
    expect(await databaseExists(server, evil)).toBe(false);
    expect(await databaseExists(server, victim.name)).toBe(true);

    await expectDeliveryError(cloneDatabase(server, `${target.database}' OR '1'='1`, 'uk_never'), DeliveryFailureType.MissingObject);
    await expectDeliveryError(cloneDatabase(server, target.database, 'x'.repeat(64)), DeliveryFailureType.InvalidParameters);
    expect(await databaseExists(server, 'uk_never')).toBe(false);
  });
});
