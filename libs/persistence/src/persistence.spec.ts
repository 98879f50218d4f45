import { randomUUID } from 'node:crypto';
import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { DeliveryStatus } from '@sdo/contracts';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { APP_MIGRATIONS, appDataSourceOptions, createAppDataSource, migrateAppDatabase } from './data-source';
import { EnvironmentPolicy, protectedEndpointsOf, systemResolve } from './environment-policy';
import { SecretBox } from './secret-box';
import { DeliveryStore, NewDelivery } from './stores/delivery-store';
import { DecisionLedger } from './stores/decision-ledger';
import { TaskStore } from './stores/task-store';
import { EnvironmentDirectory, EnvironmentRegistration } from './stores/environment-directory';

describe('SecretBox', () => {
  it('round-trips and detects tampering', () => {
    const box = new SecretBox(SecretBox.generateKey());
    const sealed = box.seal('pässwörd 🔑');
    expect(sealed).not.toContain('pässwörd');
    expect(box.open(sealed)).toBe('pässwörd 🔑');
    const [v, iv, tag, data] = sealed.split('.');
    const flipped = Buffer.from(data!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64')].join('.'))).toThrow();
    expect(() => new SecretBox(SecretBox.generateKey()).open(sealed)).toThrow();
  });
});

describe('app database (real PostgreSQL, real migrations)', () => {
  let db: ScratchDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createScratchDatabase('sdo_persistence');
    dataSource = await createAppDataSource(db.url).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('migrates once even when several processes start together', async () => {
    const others = await Promise.all([1, 2, 3].map(() => createAppDataSource(db.url).initialize()));
    const applied = await Promise.all([dataSource, ...others].map((ds) => migrateAppDatabase(ds)));
    expect(applied.flat().sort()).toEqual([
      'CatalogTasks1764662400000',
      'CustomerScopeAndDecisions1764489600000',
      'CustomerTimeZoneAndMailContacts1764835200060',
      'DataArtifacts1764316800000',
      'DeliveryFinalStatus1764835200070',
      'EnvironmentLeases1764748800000',
      'InitialSchema1764230400000',
      'Notifications1764576000000',
      'ObligationTasksInInbox1764835200050',
      'SharedHeavyWork1764835200030',
    ]);
    await Promise.all(others.map((ds) => ds.destroy()));
  });

  it('claims a start request once per idempotency key and per order', async () => {
    const store = new DeliveryStore(dataSource);
    const request: NewDelivery = {
      workflowId: `upgrade:SO-${randomUUID().slice(0, 8)}`,
      idempotencyKey: randomUUID(),
      requestFingerprint: 'f1',
      serviceType: 'upgrade',
      customerId: 'C1',
      orderNo: 'SO-1',
      environments: { target: randomUUID() },
      parameters: {},
      cutoverWindow: { startsAt: new Date().toISOString(), durationMinutes: 60 },
      contractRef: null,
      createdBy: 'test',
    };
    const first = await store.claim(request);
    expect(first.kind).toBe('created');
    expect((await store.claim(request)).kind).toBe('existing');
    expect((await store.claim({ ...request, requestFingerprint: 'f2' })).kind).toBe('key-reused');
    const other = await store.claim({ ...request, idempotencyKey: randomUUID() });
    expect(other).toMatchObject({ kind: 'order-taken', delivery: { id: first.delivery.id } });
    // Keys and order numbers are per customer: another customer may use the same ones.
    const otherCustomer = await store.claim({ ...request, customerId: 'C2', workflowId: `upgrade:C2:${request.orderNo}`, requestFingerprint: 'f3' });
    expect(otherCustomer.kind).toBe('created');
    expect(otherCustomer.delivery.id).not.toBe(first.delivery.id);
  });

  it('mirrors catalog-flow tasks (no cutover window), filters them and keeps evidence files out of lists', async () => {
    const claim = await new DeliveryStore(dataSource).claim({
      workflowId: `onsite-package:C9:SO-${randomUUID().slice(0, 8)}`,
      idempotencyKey: randomUUID(),
      requestFingerprint: 'f',
      serviceType: 'onsite-package',
      customerId: 'C9',
      orderNo: 'SO-9',
      environments: {},
      parameters: { personDays: 12, validUntil: '2027-06-30' },
      cutoverWindow: null,
      contractRef: null,
      createdBy: 'test',
    });
    const tasks = new TaskStore(dataSource);
    const task = {
      taskId: randomUUID(),
      stepIndex: 0,
      stepCode: 'kickoff',
      zh: '服务启动',
      en: 'Kick-off',
      kind: 'task' as const,
      role: 'delivery-manager' as const,
      assignee: 'li.wei',
      status: 'open' as const,
      openedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      dueAt: new Date(Date.now() - 86_400_000).toISOString(),
      checklist: [{ item: 'Consultant assigned', done: false }],
      reopened: 0,
      overdue: true,
      reminders: 0,
      escalated: false,
    };
    const record = { deliveryId: claim.delivery.id, customerId: 'C9', serviceType: 'onsite-package' as const, note: 'opened' };
    await tasks.record({ ...record, task });
    const page = (filter: Partial<Parameters<TaskStore['list']>[0]>) => tasks.list({ limit: 10, offset: 0, ...filter });
    expect((await page({ customerId: 'C9', overdue: true })).total).toBe(1);
    expect((await page({ customerId: 'C9', assignee: 'someone-else' })).total).toBe(0);
    await tasks.record({ ...record, task: { ...task, status: 'done', completedBy: 'max', completedAt: new Date().toISOString() }, note: 'done' });
    expect((await page({ customerId: 'C9', overdue: true })).total).toBe(0);
    expect(await tasks.find(task.taskId)).toMatchObject({ status: 'done', completedBy: 'max' });

    await tasks.addEvidence({
      taskId: task.taskId,
      kind: 'file',
      fileName: 'a.pdf',
      contentType: 'application/pdf',
      content: Buffer.from('%PDF'),
      createdBy: 'max',
    });
    const [listed] = await tasks.listEvidence(task.taskId);
    expect(listed).toMatchObject({ fileName: 'a.pdf', size: 4 });
    expect(listed!.content).toBeUndefined();
    expect((await tasks.evidenceFile(task.taskId, listed!.id))?.content).toEqual(Buffer.from('%PDF'));
  });

  it('leaves an obligation task done when a person completed it before its inbox row was written', async () => {
    const claim = await new DeliveryStore(dataSource).claim({
      workflowId: `resident-service:C8:SO-${randomUUID().slice(0, 8)}`,
      idempotencyKey: randomUUID(),
      requestFingerprint: 'f',
      serviceType: 'resident-service',
      customerId: 'C8',
      orderNo: 'SO-8',
      environments: {},
      parameters: {},
      cutoverWindow: null,
      contractRef: null,
      createdBy: 'test',
    });
    const tasks = new TaskStore(dataSource);
    const ledger = new DecisionLedger(dataSource);
    const deliveryId = claim.delivery.id;
    const row = (obligationTaskId: string) => ({
      deliveryId,
      customerId: 'C8',
      serviceType: 'resident-service',
      stepIndex: 1,
      stepCode: 'service',
      role: 'delivery-manager',
      assignee: 'li.wei',
      obligationTaskId,
      obligationKind: 'monthly-assessment',
      title: 'SLA assessment 2026-11',
      openedAt: new Date(),
      dueAt: null,
    });
    // The API's order: the Update is accepted, the decision resolved, then the inbox row closed (none yet).
    const decision = await ledger.open({ id: randomUUID(), deliveryId, action: 'obligation.task-completed', actor: 'max', arg: { taskId: 'm-1' } });
    await ledger.resolve(decision.id, { status: 'accepted', detail: {} });
    await tasks.closeObligationTask(deliveryId, 'm-1', 'max', new Date());
    // Then the workflow's activity writes the row it opened.
    await tasks.openObligationTask(row('m-1'));
    await tasks.openObligationTask(row('m-2'));
    const { items } = await tasks.list({ limit: 10, offset: 0, deliveryId });
    const byTask = Object.fromEntries(items.map((t) => [t.obligationTaskId, t]));
    expect(byTask['m-1']).toMatchObject({ status: 'done', completedBy: 'max' });
    expect(byTask['m-2']).toMatchObject({ status: 'open' });
  });

  it('keeps the workflow IDs of deliveries made before the customer scope, and counts them as started', async () => {
    const old = await createScratchDatabase('sdo_persistence_old');
    const early = await new DataSource({ ...appDataSourceOptions(old.url), migrations: APP_MIGRATIONS.slice(0, 2) }).initialize();
    try {
      await early.runMigrations();
      await early.query(
        `INSERT INTO deliveries (workflow_id, idempotency_key, request_fingerprint, service_type, customer_id, order_no, environments, parameters, cutover_window, phase, created_by)
         VALUES ('upgrade:SO-OLD', 'k', 'f', 'upgrade', 'C1', 'SO-OLD', '{}', '{}', '{}', 'plan', 'test')`,
      );
      await early.destroy();
      const current = await createAppDataSource(old.url).initialize();
      try {
        await migrateAppDatabase(current);
        const [row] = await current.query(`SELECT workflow_id, started_at IS NOT NULL AS started FROM deliveries`);
        expect(row).toEqual({ workflow_id: 'upgrade:SO-OLD', started: true });
        const store = new DeliveryStore(current);
        expect(await store.unstarted(new Date())).toEqual([]);
      } finally {
        await current.destroy();
      }
    } finally {
      if (early.isInitialized) await early.destroy();
      await old.drop();
    }
  });

  it("keeps an ended delivery's final status with its last state, whatever characters its text holds", async () => {
    const store = new DeliveryStore(dataSource);
    const { delivery } = await store.claim({
      workflowId: `database-conversion:SO-${randomUUID().slice(0, 8)}`,
      idempotencyKey: randomUUID(),
      requestFingerprint: 'f',
      serviceType: 'database-conversion',
      customerId: 'C1',
      orderNo: `SO-${randomUUID().slice(0, 8)}`,
      environments: {},
      parameters: {},
      cutoverWindow: null,
      contractRef: null,
      createdBy: 'test',
    });
    // A customer's server may answer with a NUL byte or a lone surrogate: jsonb refuses both.
    const message = 'copy failed: bad value \u0000 in "\ud800x"';
    const status: DeliveryStatus = {
      deliveryId: delivery.id,
      serviceType: 'database-conversion',
      phase: 'failed',
      step: 'copying',
      progress: 60,
      plans: [],
      reports: [{ kind: 'assessment', reportId: randomUUID(), summary: 'ok' }],
      reminders: 0,
      escalated: false,
      lastFailure: { phase: 'cutover', type: 'DataError', message },
      events: [{ at: new Date().toISOString(), phase: 'failed', note: `Delivery failed: ${message}` }],
    };
    const running = { deliveryId: delivery.id, phase: 'cutover' as const, step: 'copying', progress: 60, awaiting: null, note: 'copying' };
    await store.recordState(running);
    expect(await store.finalStatus(delivery.id)).toBeUndefined();

    const ended = { ...running, phase: 'failed' as const, note: 'failed', finalStatus: status };
    await store.recordState(ended);
    // A retried record writes it again, without a second row.
    await store.recordState(ended);
    const kept = await store.finalStatus(delivery.id);
    expect(kept).toEqual({
      ...status,
      lastFailure: { ...status.lastFailure, message: 'copy failed: bad value \ufffd in "\ufffdx"' },
      events: [{ ...status.events[0], note: 'Delivery failed: copy failed: bad value \ufffd in "\ufffdx"' }],
    });
    // A read's late keeping never replaces what the workflow handed over.
    await store.keepFinalStatus(delivery.id, { ...status, step: 'something else' });
    expect((await store.finalStatus(delivery.id))?.step).toBe('copying');
    expect(await dataSource.query('SELECT count(*)::int AS n FROM delivery_final_status WHERE delivery_id = $1', [delivery.id])).toEqual([{ n: 1 }]);
    // Deleting a delivery takes it along.
    await dataSource.query('DELETE FROM audit_entries WHERE delivery_id = $1', [delivery.id]);
    await dataSource.query('DELETE FROM deliveries WHERE id = $1', [delivery.id]);
    expect(await store.finalStatus(delivery.id)).toBeUndefined();
  });

  it('refuses, without retry, to record the state of a delivery it does not know', async () => {
    const store = new DeliveryStore(dataSource);
    const record = { deliveryId: randomUUID(), phase: 'assessment' as const, step: 'x', progress: 5, awaiting: null, note: 'x' };
    await expect(store.recordState(record)).rejects.toMatchObject({ type: 'InvalidParameters', nonRetryable: true });
    expect(await dataSource.query('SELECT count(*)::int AS n FROM audit_entries WHERE delivery_id = $1', [record.deliveryId])).toEqual([{ n: 0 }]);
  });

  it('stores environment passwords encrypted and never shows them', async () => {
    const policy = new EnvironmentPolicy({ protectedEndpoints: [], sqliteDir: tmpdir(), resolve: async (name) => (name === 'db' ? ['10.0.0.5'] : []) });
    const directory = new EnvironmentDirectory(dataSource, new SecretBox(SecretBox.generateKey()), policy);
    const env = await directory.register({
      customerId: 'C1',
      name: 'erp',
      engine: 'postgres',
      host: 'db',
      port: 5432,
      database: 'erp',
      username: 'u',
      password: 's3cret-Pa55',
    });
    expect(JSON.stringify(env)).not.toContain('s3cret');
    const raw = await dataSource.query('SELECT secret_ciphertext FROM environments WHERE id = $1', [env.id]);
    expect(raw[0].secret_ciphertext).not.toContain('s3cret');
    expect(await directory.connectionFor(env.id)).toMatchObject({ host: '10.0.0.5', password: 's3cret-Pa55' });
    await expect(directory.connectionFor(randomUUID())).rejects.toMatchObject({ type: 'EnvironmentNotFound' });
  });

  describe('connections go through the environment policy at every connect', () => {
    let answer: string[];
    let sqliteDir: string;
    let outside: string;
    let directory: EnvironmentDirectory;
    const register = (fields: Partial<EnvironmentRegistration>) =>
      directory.register({ customerId: 'C2', name: `env ${randomUUID()}`, engine: 'postgres', host: 'erp.acme.test', port: 5432, database: 'erp', ...fields });

    beforeAll(() => {
      sqliteDir = mkdtempSync(join(tmpdir(), 'sdo-sqlite-'));
      outside = mkdtempSync(join(tmpdir(), 'sdo-outside-'));
      const policy = new EnvironmentPolicy({
        protectedEndpoints: protectedEndpointsOf({ databaseUrl: 'postgres://u@127.0.0.1:5432/sdo', temporal: { address: '127.0.0.1:7233' } }),
        sqliteDir,
        resolve: async (name) => (name === 'erp.acme.test' ? answer : systemResolve(name)),
      });
      directory = new EnvironmentDirectory(dataSource, new SecretBox(SecretBox.generateKey()), policy);
    });
    afterAll(() => {
      rmSync(sqliteDir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });

    it('connects to the address it checked, and refuses once the name resolves to a protected one', async () => {
      answer = ['10.1.2.3'];
      const env = await register({ database: 'sdo', ssl: true });
      expect(await directory.connectionFor(env.id)).toMatchObject({ host: '10.1.2.3', port: 5432, database: 'sdo', tlsServerName: 'erp.acme.test' });
      answer = ['::ffff:7f00:1'];
      await expect(directory.connectionFor(env.id)).rejects.toMatchObject({
        type: 'EnvironmentNotAllowed',
        nonRetryable: true,
        message: expect.stringContaining("SDO's own app database"),
      });
      answer = ['169.254.169.254'];
      await expect(directory.connectionFor(env.id)).rejects.toMatchObject({ type: 'EnvironmentNotAllowed', message: expect.stringContaining('link-local') });
      // No address at all: the name does not exist (ENOTFOUND), which retrying cannot fix.
      answer = [];
      await expect(directory.connectionFor(env.id)).rejects.toMatchObject({ type: 'UnknownHost', nonRetryable: true });
    });

    it('refuses stored spellings of protected addresses that an older API let through', async () => {
      for (const host of ['0x7f000001', '::ffff:127.0.0.1', 'localhost.', '[::1]']) {
        const env = await register({ host, port: 7233 });
        await expect(directory.connectionFor(env.id)).rejects.toMatchObject({ type: 'EnvironmentNotAllowed', message: expect.stringContaining('Temporal') });
      }
      const ipv6 = await register({ host: '[::1]', port: 5433, ssl: true });
      expect(await directory.connectionFor(ipv6.id)).toMatchObject({ host: '::1', port: 5433 });
      expect(await directory.connectionFor(ipv6.id)).not.toHaveProperty('tlsServerName');
    });

    it('opens a SQLite file by its real path inside the directory, and refuses it once it leads out', async () => {
      writeFileSync(join(sqliteDir, 'erp.sqlite'), 'x');
      writeFileSync(join(outside, 'temporal.db'), 'x');
      const env = await register({ engine: 'sqlite', host: undefined, port: undefined, database: 'erp.sqlite' });
      expect(await directory.connectionFor(env.id)).toMatchObject({ engine: 'sqlite', database: join(realpathSync(sqliteDir), 'erp.sqlite') });
      rmSync(join(sqliteDir, 'erp.sqlite'));
      await expect(directory.connectionFor(env.id)).rejects.toMatchObject({ type: 'MissingObject' });
      symlinkSync(join(outside, 'temporal.db'), join(sqliteDir, 'erp.sqlite'));
      await expect(directory.connectionFor(env.id)).rejects.toMatchObject({ type: 'EnvironmentNotAllowed', nonRetryable: true });
      const absolute = await register({ engine: 'sqlite', host: undefined, port: undefined, database: join(outside, 'temporal.db') });
      await expect(directory.connectionFor(absolute.id)).rejects.toMatchObject({ type: 'EnvironmentNotAllowed' });
    });
  });
});
