import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { loadPackage } from '@sdo/upgrade-kit';
import type { ScratchDatabase } from '@sdo/testing';
import { ApiTestApp, startApiTestApp, TEST_SECRETS_KEY } from '@sdo/api/testing';
import { verifyWebhook } from '@sdo/persistence';
import { notificationWorkflowId } from '@sdo/contracts';
import { recordHistory } from '../support/histories';
import { createErpV1Database, UPGRADE_FIXTURES } from '../support/fixtures';
import { confirmAcceptanceViaApi, registerEnvironmentViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import { startWorkerHarness, WorkerHarness } from '../support/worker-harness';

jest.setTimeout(120_000);

interface Call {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A customer's webhook receiver: records every call, answers 500 to the first two. */
async function startReceiver(): Promise<{ server: Server; url: string; calls: Call[] }> {
  const calls: Call[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = calls.length < 2 ? 500 : 204;
      calls.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sdo-hook`, calls };
}

/** An SMTP sink keeping every mail it is given; it refuses the first recipient once (451, quoting the address). */
async function startSmtpSink(): Promise<{ server: SMTPServer; port: number; mails: { to: string[]; data: string }[]; refused: string[] }> {
  const mails: { to: string[]; data: string }[] = [];
  const refused: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.length) return callback();
      refused.push(address.address);
      callback(Object.assign(new Error(`Mailbox <${address.address}> is busy, try again later`), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.server.address() as AddressInfo).port, mails, refused };
}

const CUSTOMER = 'CUST-HOOKS';

async function waitFor(condition: () => boolean, timeoutMs: number, what: string, refresh?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await refresh?.();
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, refresh ? 250 : 100));
    await refresh?.();
  }
}

describe('notifications through the control API', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let target: ScratchDatabase;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let deadPort: number;

  beforeAll(async () => {
    receiver = await startReceiver();
    smtp = await startSmtpSink();
    // A port nobody listens on: a receiver that is down.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    deadPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));

    const taskQueue = `e2e-${randomUUID()}`;
    const webhooks = { allowHttp: true, allowedAddresses: ['127.0.0.1'] };
    const mail = { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'SDO <sdo@test.example>' };
    api = await startApiTestApp({ env: { SDO_TASK_QUEUE: taskQueue, SDO_WEBHOOK_ALLOW_HTTP: 'true', SDO_WEBHOOK_ALLOWED_ADDRESSES: '127.0.0.1' } });
    worker = await startWorkerHarness({ appDatabaseUrl: api.database.url, secretsKey: TEST_SECRETS_KEY, taskQueue, notify: { webhooks, mail } });
    target = await createErpV1Database();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await target?.drop();
    await new Promise((r) => receiver?.server.close(r));
    await new Promise((r) => smtp?.server.close(() => r(undefined)));
  });

  it('sends signed, deduplicable events of a whole upgrade, retrying a receiver that failed, and mails the reminder', async () => {
    const subscribed = await api.request('POST', '/v1/webhooks', {
      as: 'manager',
      body: { customerId: CUSTOMER, url: receiver.url, eventTypes: ['gate.waiting', 'gate.reminder', 'phase.changed', 'delivery.completed'] },
    });
    expect(subscribed.status).toBe(201);
    const secret: string = subscribed.body.secret;
    expect(secret).toMatch(/^whsec_/);
    const hookId: string = subscribed.body.id;
    // Shown once: neither read nor list nor the logs show it again.
    const read = await api.request('GET', `/v1/webhooks/${hookId}`, { as: 'viewer' });
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(secret);
    expect((await api.request('GET', `/v1/webhooks?customerId=${CUSTOMER}`, { as: 'viewer' })).text).not.toContain(secret);
    // A receiver that is down: it must not hold the delivery up.
    const dead = await api.request('POST', '/v1/webhooks', {
      as: 'manager',
      body: { customerId: CUSTOMER, url: `http://127.0.0.1:${deadPort}/`, eventTypes: ['phase.changed'] },
    });
    expect(dead.status).toBe(201);
    const contact = await api.request('POST', '/v1/gate-contacts', {
      as: 'manager',
      body: { customerId: CUSTOMER, email: 'Signatory@Customer.example', gates: ['contractSignature'] },
    });
    expect(contact.status).toBe(201);

    const env = await registerEnvironmentViaApi(api, CUSTOMER, 'erp-production', { postgres: target.url });
    const pkg = await api.request('POST', '/v1/upgrade-packages', { body: loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')) });
    expect(pkg.status).toBe(201);
    const started = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      headers: { 'idempotency-key': randomUUID() },
      body: {
        serviceType: 'upgrade',
        customerId: CUSTOMER,
        orderNo: `SO-${randomUUID().slice(0, 8)}`,
        environments: { target: env.id },
        parameters: { packageId: pkg.body.id },
        cutoverWindow: { startsAt: new Date(Date.now() + 3_600_000).toISOString(), durationMinutes: 60 },
        gatePolicy: { reminderEvery: '2 seconds', escalateAfter: '1 hour' },
      },
    });
    expect(started.status).toBe(202);
    const id: string = started.body.id;

    // The contract gate reminds its contact by mail.
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'contractSignature');
    await waitFor(() => smtp.mails.length > 0, 30_000, 'no reminder mail');
    expect(smtp.mails[0]!.to).toEqual(['signatory@customer.example']);
    expect(smtp.mails[0]!.data).toMatch(/Subject: \[SDO\] Reminder: upgrade:CUST-HOOKS:SO-[\w-]+ waits for\s+contractSignature/);
    // The refused first try and its retry, as the API shows them: recorded failed (why, the address masked), then sent.
    expect(smtp.refused).toEqual(['signatory@customer.example']);
    type MailAttempt = { notificationId: string; eventId: string; attempt: number; status: string; error: string | null; [k: string]: unknown };
    const mailAttempts = async () =>
      (await api.request('GET', `/v1/gate-contacts/${contact.body.id}/mails?limit=100`, { as: 'viewer' })).body.items as MailAttempt[];
    let retriedMail: MailAttempt[] = [];
    await waitFor(
      () => retriedMail.some((a) => a.status === 'sent'),
      30_000,
      'the refused mail was not retriedMail',
      async () => {
        const all = await mailAttempts();
        const failed = all.find((a) => a.status === 'failed');
        retriedMail = all.filter((a) => a.notificationId === failed?.notificationId).sort((a, b) => a.attempt - b.attempt);
      },
    );
    expect(retriedMail.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'sent'],
    ]);
    expect(retriedMail[0]).toMatchObject({
      eventType: 'gate.reminder',
      gate: 'contractSignature',
      deliveryId: id,
      contactId: contact.body.id,
      recipient: 's•••y@customer.example',
      error: expect.stringMatching(/451.*Mailbox <s•••y@customer\.example> is busy/),
    });
    expect(retriedMail[1]).toMatchObject({ eventId: retriedMail[0]!.eventId, error: null, recipient: 's•••y@customer.example' });
    const asViewer = await api.request('GET', `/v1/gate-contacts/${contact.body.id}/mails`, { as: 'viewer' });
    expect(asViewer.text).not.toContain('signatory@customer.example');
    // Another customer's identity is told the contact does not exist, as for its webhooks.
    expect((await api.request('GET', `/v1/gate-contacts/${contact.body.id}/mails`, { as: 'confined' })).status).toBe(404);
    expect((await api.request('GET', '/v1/gate-contacts/not-a-uuid/mails', { as: 'viewer' })).status).toBe(400);

    expect((await api.request('POST', `/v1/deliveries/${id}/contract-signature`, { as: 'manager', body: { contractRef: 'CT-HOOK-1' } })).status).toBe(200);

    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'planApproval');
    expect((await api.request('POST', `/v1/deliveries/${id}/plan-approval`, { as: 'manager', body: { revision: 1, comment: 'go' } })).status).toBe(200);
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'cutoverWindow');
    expect((await api.request('PUT', `/v1/deliveries/${id}/cutover-window`, { as: 'manager', body: { startsAt: new Date().toISOString() } })).status).toBe(200);
    await waitForDelivery(api, id, (d) => d.live?.awaiting === 'acceptance');
    await confirmAcceptanceViaApi(api, id);

    const events = () => receiver.calls.filter((c) => c.answered === 204).map((c) => JSON.parse(c.body));
    await waitFor(() => events().some((e) => e.type === 'delivery.completed' && e.delivery.id === id), 30_000, 'no delivery.completed event');

    // Every call is signed over its exact body, and only that body verifies.
    for (const call of receiver.calls) {
      const signed = { secret, body: call.body, timestamp: call.headers['sdo-timestamp'] as string, signature: call.headers['sdo-signature'] as string };
      expect(verifyWebhook(signed)).toEqual({ valid: true });
      expect(verifyWebhook({ ...signed, body: call.body.replace('"id":"', '"id":"0') }).valid).toBe(false);
      expect(JSON.parse(call.body).id).toBe(call.headers['sdo-event-id']);
    }
    // The two calls answered 500 came again (same event ID, same body) until the receiver took them.
    const failed = receiver.calls.filter((c) => c.answered === 500);
    expect(failed).toHaveLength(2);
    for (const f of failed) {
      expect(receiver.calls.some((c) => c.answered === 204 && c.headers['sdo-event-id'] === f.headers['sdo-event-id'] && c.body === f.body)).toBe(true);
    }
    // The whole delivery, each event once among the successful calls: receivers deduplicate on the event ID.
    const ofDelivery = events().filter((e) => e.delivery.id === id);
    expect(new Set(ofDelivery.map((e) => e.id)).size).toBe(ofDelivery.length);
    const gates = ofDelivery.filter((e) => e.type === 'gate.waiting').map((e) => e.gate.name);
    expect(gates).toEqual(expect.arrayContaining(['contractSignature', 'planApproval', 'cutoverWindow', 'acceptance']));
    const phases = ofDelivery.filter((e) => e.type === 'phase.changed').map((e) => e.delivery.phase);
    expect(phases).toEqual(expect.arrayContaining(['contract', 'plan', 'test', 'cutover', 'acceptance', 'completed']));
    expect(ofDelivery.some((e) => e.type === 'gate.reminder' && e.gate.name === 'contractSignature')).toBe(true);

    // The attempts, as the API shows them: the retried event's 500, 500, then 2xx.
    const attempts = await api.request('GET', `/v1/webhooks/${hookId}/deliveries?limit=100`, { as: 'viewer' });
    expect(attempts.status).toBe(200);
    const retried = failed[0]!.headers['sdo-event-id'];
    const ofRetried = (attempts.body.items as { eventId: string; attempt: number; statusCode: number | null }[])
      .filter((a) => a.eventId === retried)
      .sort((a, b) => a.attempt - b.attempt);
    expect(ofRetried.map((a) => [a.attempt, a.statusCode])).toEqual(
      failed.every((f) => f.headers['sdo-event-id'] === retried)
        ? [
            [1, 500],
            [2, 500],
            [3, 204],
          ]
        : [
            [1, 500],
            [2, 204],
          ],
    );
    // The receiver that is down was tried (connection refused) and cost the delivery nothing.
    const deadAttempts = await api.request('GET', `/v1/webhooks/${dead.body.id}/deliveries`, { as: 'viewer' });
    expect(deadAttempts.body.items[0]).toMatchObject({ statusCode: null, error: expect.stringContaining('ECONNREFUSED') });
    expect(api.logs.join('\n')).not.toContain(secret);

    // Saved for the replay tests (SDO_RECORD_HISTORIES=1): a retried call, first-time calls, a mail.
    if (process.env['SDO_RECORD_HISTORIES'] === '1') {
      const rows: { id: string; channel: string; attempts: number }[] = await worker.dataSource.query(
        `SELECT id, channel, attempts FROM notifications WHERE status = 'delivered' AND delivery_id = $1 ORDER BY attempts DESC, created_at`,
        [id],
      );
      const picks = [
        ['retried-webhook', rows.find((r) => r.channel === 'webhook' && r.attempts > 1)],
        ['webhook', rows.find((r) => r.channel === 'webhook' && r.attempts === 1)],
        ['another-webhook', rows.filter((r) => r.channel === 'webhook' && r.attempts === 1)[1]],
        ['mail', rows.find((r) => r.channel === 'mail')],
      ] as const;
      for (const [name, row] of picks) {
        const handle = worker.client.workflow.getHandle(notificationWorkflowId(row!.id));
        await handle.result();
        await recordHistory(handle, `notificationDelivery-${name}`);
      }
    }
  });
});

describe('webhook routes refuse', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    // As in production: https only, no allow-list.
    api = await startApiTestApp({ env: { SDO_TASK_QUEUE: `e2e-${randomUUID()}`, SDO_WEBHOOK_ALLOW_HTTP: 'false' } });
  });
  afterAll(async () => api?.close());

  const subscribe = (body: Record<string, unknown>, as: 'manager' | 'confined' | 'viewer' = 'manager') =>
    api.request('POST', '/v1/webhooks', { as, body: { customerId: 'CUST-A', eventTypes: ['gate.waiting'], url: 'https://hooks.example.com/sdo', ...body } });

  it('internal targets in every spelling, plain http, NUL, huge or short secrets, unknown fields — naming the field, storing nothing', async () => {
    const urls = [
      'http://hooks.example.com/sdo',
      'https://localhost/',
      'https://LocalHost./',
      'https://127.0.0.1:3000/',
      'https://127.1/',
      'https://0x7f000001/',
      'https://2130706433/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/',
      'https://10.0.0.8/',
      'https://[fd00::1]/',
      'https://0.0.0.0/',
      'https://user:pw@hooks.example.com/',
      'file:///etc/passwd',
      'https://hooks.example.com/\u0000x',
    ];
    const answers = await Promise.all(urls.map((url) => subscribe({ url })));
    for (const [i, r] of answers.entries()) {
      expect([urls[i], r.status, r.body.details?.[0]?.field]).toEqual([urls[i], 400, 'url']);
    }
    const bodies: [Record<string, unknown>, string][] = [
      [{ secret: 'x'.repeat(100_000) }, 'secret'],
      [{ secret: 'short' }, 'secret'],
      [{ secret: 'with spaces in the secret 0123456789' }, 'secret'],
      [{ eventTypes: ['gate.waiting', 'everything'] }, 'eventTypes'],
      [{ eventTypes: [] }, 'eventTypes'],
      [{ customerId: 'CUST\u0000A' }, 'customerId'],
      [{ url: 'https://hooks.example.com/' + 'a'.repeat(5000) }, 'url'],
      [{ isAdmin: true }, 'isAdmin'],
    ];
    for (const [body, field] of bodies) {
      const r = await subscribe(body);
      expect([field, r.status]).toEqual([field, r.status === 413 ? 413 : 400]);
      if (r.status === 400) expect(r.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await api.request('GET', '/v1/webhooks', { as: 'viewer' })).body.items).toEqual([]);
    expect(api.logs.join('\n')).not.toContain('with spaces in the secret');
  });

  it("another customer's webhooks: a confined manager can neither create, see nor delete them; a viewer cannot create", async () => {
    expect((await subscribe({ customerId: 'CUST-A' }, 'confined')).status).toBe(403);
    expect((await subscribe({}, 'viewer')).status).toBe(403);
    // An allowed public target (resolution is not needed for an IP literal).
    const own = await subscribe({ url: 'https://203.0.113.5/sdo' });
    expect(own.status).toBe(201);
    expect((await api.request('GET', `/v1/webhooks/${own.body.id}`, { as: 'confined' })).status).toBe(404);
    expect((await api.request('GET', `/v1/webhooks/${own.body.id}/deliveries`, { as: 'confined' })).status).toBe(404);
    expect((await api.request('DELETE', `/v1/webhooks/${own.body.id}`, { as: 'confined' })).status).toBe(404);
    expect((await api.request('GET', '/v1/webhooks', { as: 'confined' })).body.items).toEqual([]);
    expect((await api.request('GET', '/v1/webhooks/not-a-uuid', { as: 'viewer' })).status).toBe(400);
    expect((await api.request('DELETE', `/v1/webhooks/${own.body.id}`, { as: 'manager' })).status).toBe(204);
    expect((await api.request('GET', `/v1/webhooks/${own.body.id}`, { as: 'viewer' })).status).toBe(404);
  });
});
