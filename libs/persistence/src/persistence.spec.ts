import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { createScratchDatabase, ScratchDatabase } from '@sdo/testing';
import { createAppDataSource, migrateAppDatabase } from './data-source';
import { EnvironmentPolicy } from './environment-policy';
import { SecretBox } from './secret-box';
import { DeliveryStore, NewDelivery } from './stores/delivery-store';
import { EnvironmentDirectory } from './stores/environment-directory';

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
    expect(applied.flat().sort()).toEqual(['DataArtifacts1764316800000', 'InitialSchema1764230400000']);
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
    const env = await directory.register({ customerId: 'C1', name: 'erp', engine: 'postgres', host: 'db', port: 5432, database: 'erp', username: 'u', password: 's3cret-Pa55' });
    expect(JSON.stringify(env)).not.toContain('s3cret');
    const raw = await dataSource.query('SELECT secret_ciphertext FROM environments WHERE id = $1', [env.id]);
    expect(raw[0].secret_ciphertext).not.toContain('s3cret');
    expect(await directory.connectionFor(env.id)).toMatchObject({ host: '10.0.0.5', password: 's3cret-Pa55' });
    await expect(directory.connectionFor(randomUUID())).rejects.toMatchObject({ type: 'EnvironmentNotFound' });
  });
});
