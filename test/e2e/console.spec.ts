import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type ApiTestApp, startApiTestApp, TEST_SECRETS_KEY, TOKENS, type TestIdentity } from '@sdo/api/testing';
import { ensureConsoleBuilt } from '@sdo/stack';
import type { ScratchDatabase } from '@sdo/testing';
import { loadPackage } from '@sdo/upgrade-kit';
import { connectionFields, createErpV1Database, UPGRADE_FIXTURES } from '../support/fixtures';
import { registerEnvironmentViaApi, startDeliveryViaApi } from '../support/through-api';
import { waitForDelivery } from '../support/waiting';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness';

jest.setTimeout(180_000);

const REPO_ROOT = join(__dirname, '..', '..');
const SCREENSHOTS = join(REPO_ROOT, '.sdo', 'screenshots');
const CHROMIUM = process.env['SDO_CHROMIUM'] ?? '/usr/bin/chromium';
const TEMPORAL_UI = 'http://127.0.0.1:8233';
const CUSTOMER = 'CUST-CONSOLE';

/**
 * Issue #12: the console in a real browser (Debian's Chromium through playwright-core) against the
 * real stack — the API serving the console's production build, a worker, Temporal and PostgreSQL.
 */
describe('the console', () => {
  let api: ApiTestApp;
  let worker: WorkerHarness;
  let erp: ScratchDatabase;
  let browser: Browser;
  let bundle: { file: string; bytes: number }[];

  beforeAll(async () => {
    const taskQueue = `console-${randomUUID()}`;
    const [build, database] = await Promise.all([ensureConsoleBuilt(), createErpV1Database()]);
    bundle = build.files;
    erp = database;
    api = await startApiTestApp({ eventsEveryMs: 250, env: { SDO_TASK_QUEUE: taskQueue, SDO_TEMPORAL_UI_URL: TEMPORAL_UI } });
    worker = await startWorkerHarness({ appDatabaseUrl: api.database.url, secretsKey: TEST_SECRETS_KEY, taskQueue });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await erp?.drop();
  });

  async function signedIn(as: TestIdentity, locale = 'en-GB'): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await page.goto(api.baseUrl + '/');
    await page.getByLabel(/API token|API 令牌/).fill(TOKENS[as]);
    await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
    await page.getByRole('button', { name: /^(Sign out|退出)$/ }).waitFor();
    return { context, page };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes[0]?.target}`);
    expect(serious).toEqual([]);
  }

  it('is served at / under a CSP, next to the API, and its API types are those /docs-json generates', async () => {
    const index = await api.request('GET', '/', { as: null });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(index.text).toContain('<div id="root">');
    expect((await api.request('GET', '/health', { as: null })).status).toBe(200);
    expect((await api.request('GET', '/v1/deliveries', { as: null })).status).toBe(401);
    const docs = await api.request('GET', '/docs-json', { as: null });
    expect(docs.status).toBe(200);
    expect((await api.request('GET', '/docs', { as: null })).text).toMatch(/swagger/i);

    const dir = mkdtempSync(join(tmpdir(), 'sdo-console-types-'));
    try {
      writeFileSync(join(dir, 'docs.json'), docs.text);
      const script = join(REPO_ROOT, 'apps', 'console', 'scripts', 'generate-api-types.mjs');
      const check = await promisify(execFile)(process.execPath, [script, join(dir, 'docs.json'), '--check']);
      // Stale: regenerate with `tools/scripts/with-test-stack.sh node -r ts-node/register/transpile-only -r tsconfig-paths/register tools/console/api-types.ts`.
      expect(JSON.parse(check.stdout)).toEqual({ current: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const js = bundle.filter((f) => f.file.endsWith('.js')).reduce((sum, f) => sum + f.bytes, 0);
    console.log(`console bundle: ${bundle.map((f) => `${f.file} ${f.bytes} B`).join(', ')}`);
    expect(js).toBeLessThan(1_000_000);
  });

  it('streams a delivery only to identities that may see it', async () => {
    const env = await registerEnvironmentViaApi(api, 'CUST-CONFINED', 'confined-erp', { postgres: erp.url });
    const pkg = await api.request('POST', '/v1/upgrade-packages', {
      body: { ...loadPackage(join(UPGRADE_FIXTURES, 'packages', 'erp-2.1')), name: `erp-2.1-${randomUUID()}` },
    });
    expect(pkg.status).toBe(201);
    const id = await startDeliveryViaApi(api, {
      serviceType: 'upgrade',
      customerId: 'CUST-CONFINED',
      orderNo: 'SO-CONFINED-1',
      environments: { target: env.id },
      parameters: { packageId: pkg.body.id },
      cutoverWindow: { startsAt: new Date(Date.now() + 86_400_000).toISOString(), durationMinutes: 60 },
    });
    const events = (token?: string) => fetch(`${api.baseUrl}/v1/deliveries/${id}/events`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await events()).status).toBe(401);
    const stream = await events(TOKENS.confined);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toMatch(/^id: 1\nevent: delivery\ndata: \{.*"orderNo":"SO-CONFINED-1"/);
    // Another customer's identity is told the delivery does not exist, as for GET /v1/deliveries/:id.
    const otherCustomer = await fetch(`${api.baseUrl}/v1/deliveries/${randomUUID()}/events`, { headers: { authorization: `Bearer ${TOKENS.confined}` } });
    expect(otherCustomer.status).toBe(404);
  });

  it('follows a delivery by polling when its event stream cannot be had', async () => {
    const confined = (await api.request('GET', '/v1/deliveries?customerId=CUST-CONFINED', { as: 'viewer' })).body.items[0];
    const { context, page } = await signedIn('confined');
    const aborted: string[] = [];
    const polled: string[] = [];
    await page.route('**/v1/deliveries/*/events', (route) => (aborted.push(route.request().url()), route.abort('connectionrefused')));
    page.on('request', (r) => void (r.url() === `${api.baseUrl}/v1/deliveries/${confined.id}` && polled.push(r.url())));
    await page.goto(`${api.baseUrl}/#/deliveries/${confined.id}`);
    const gate = page.getByTestId('gate');
    await gate.filter({ hasText: 'Contract signature' }).waitFor({ timeout: 60_000 });
    const before = await page.locator('section.status progress').getAttribute('value');
    const signed = await api.request('POST', `/v1/deliveries/${confined.id}/contract-signature`, { as: 'confined', body: { contractRef: 'CT-POLL-1' } });
    expect(signed.status).toBe(200);
    // Nothing is pushed: only polling can bring the plan gate and the new progress to the page.
    await gate.filter({ hasText: 'Plan approval' }).waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('phase').textContent()).resolves.toBe('Plan');
    expect(await page.locator('section.status progress').getAttribute('value')).not.toBe(before);
    expect(aborted).toContain(`${api.baseUrl}/v1/deliveries/${confined.id}/events`);
    expect(polled.length).toBeGreaterThan(2);
    await context.close();
  });

  it('polls when the event stream ends before the delivery does (a proxy cutting an idle stream)', async () => {
    const confined = (await api.request('GET', '/v1/deliveries?customerId=CUST-CONFINED', { as: 'viewer' })).body.items[0];
    const detail = (await api.request('GET', `/v1/deliveries/${confined.id}`, { as: 'confined' })).body;
    expect(detail.phase).not.toBe('completed');
    const { context, page } = await signedIn('confined');
    const polled: string[] = [];
    // One event, then the stream ends normally, as an idle-timeout proxy would end it.
    await page.route('**/v1/deliveries/*/events', (route) =>
      route.fulfill({ status: 200, contentType: 'text/event-stream', body: `id: 1\nevent: delivery\ndata: ${JSON.stringify(detail)}\n\n` }),
    );
    page.on('request', (r) => void (r.url() === `${api.baseUrl}/v1/deliveries/${confined.id}` && polled.push(r.url())));
    await page.goto(`${api.baseUrl}/#/deliveries/${confined.id}`);
    await page.getByTestId('phase').waitFor({ timeout: 30_000 });
    for (const deadline = Date.now() + 20_000; polled.length < 2 && Date.now() < deadline;) await page.waitForTimeout(250);
    expect(polled.length).toBeGreaterThan(1);
    await context.close();
  });

  it('lets a manager register an environment, start an upgrade from the form and steer it to acceptance', async () => {
    // Registering environments needs the admin role (a manager who is also admin: ada).
    const { context, page } = await signedIn('admin');
    await shoot(page, '01-portfolio');
    await expectAccessible(page, 'portfolio');

    // Environments: register (the password is never shown again), then check the connection.
    await page.getByRole('link', { name: 'Environments' }).click();
    const target = connectionFields(erp.url);
    const form = page.getByRole('form', { name: 'Register an environment' });
    await form.getByLabel('Customer').fill(CUSTOMER);
    await form.getByLabel('Name', { exact: true }).fill('erp-production');
    await form.getByLabel('Host').fill(target.host);
    await form.getByLabel('Port').fill(String(target.port));
    await form.getByLabel('Database').fill(target.database);
    await form.getByLabel('User').fill(target.username);
    await form.getByLabel('Password').fill(target.password);
    await form.getByRole('button', { name: 'Register' }).click();
    await form.getByRole('status').filter({ hasText: 'Registered erp-production.' }).waitFor();
    expect(await form.getByLabel('Password').inputValue()).toBe('');
    expect(await page.content()).not.toContain(target.password);
    const row = page.locator('tr[data-environment="erp-production"]');
    await row.getByRole('button', { name: 'Check connection' }).click();
    await row
      .getByRole('status')
      .filter({ hasText: /Reachable: postgres/ })
      .waitFor();
    await shoot(page, '02-environments');
    await expectAccessible(page, 'environments');

    // Start an upgrade from the form generated from /docs-json.
    await page.getByRole('link', { name: 'Start a delivery' }).click();
    const start = page.getByRole('form', { name: 'Start a delivery' });
    await start.getByLabel('Service').selectOption('upgrade');
    await start.getByLabel('Customer', { exact: true }).fill(CUSTOMER);
    const orderNo = `SO-${randomUUID().slice(0, 8)}`;
    await start.getByLabel('Order number').fill(orderNo);
    // The customer is in Berlin: the window is picked in Berlin time (summer time: +02:00).
    await start.getByLabel("Customer's time zone").selectOption('Europe/Berlin');
    await start.getByLabel('Opens at').fill('2027-07-01T22:00');
    await start.getByLabel('Environment (target)').selectOption({ label: `erp-production (postgres, ${CUSTOMER})` });
    await start.getByLabel('packageId *').selectOption({ index: 1 });
    await shoot(page, '03-start-delivery');
    await expectAccessible(page, 'start a delivery');
    const streams: string[] = [];
    page.on('response', (r) => void (/\/v1\/deliveries\/[0-9a-f-]{36}\/events$/.test(r.url()) && streams.push(`${r.status()} ${r.url()}`)));
    await start.getByRole('button', { name: 'Start' }).dblclick(); // one key per form: one delivery
    await page.waitForURL(/#\/deliveries\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    const listed = await api.request('GET', `/v1/deliveries?customerId=${CUSTOMER}`, { as: 'viewer' });
    expect(listed.body.items.map((d: any) => [d.orderNo, d.customerTimeZone, d.cutoverWindow.startsAt])).toEqual([
      [orderNo, 'Europe/Berlin', '2027-07-01T20:00:00.000Z'],
    ]);

    // The progress bar moves while the assessment runs (server-sent events), up to the contract gate.
    const progress = page.locator('section.status progress');
    const seen = new Set<string>();
    const gate = page.getByTestId('gate');
    for (let i = 0; i < 600 && !(await gate.textContent())?.includes('Contract signature'); i++) {
      seen.add((await progress.getAttribute('value')) ?? '');
      await page.waitForTimeout(50);
    }
    seen.add((await progress.getAttribute('value')) ?? '');
    expect(seen.size).toBeGreaterThan(1);
    // The page followed it over server-sent events (not the polling fallback).
    expect(streams).toContain(`200 ${api.baseUrl}/v1/deliveries/${id}/events`);
    await expect(gate.textContent()).resolves.toContain('a delivery manager: record the signed contract');
    const temporal = await page.getByRole('link', { name: 'Open the workflow in the Temporal Web UI' }).getAttribute('href');
    expect(temporal).toBe(`${TEMPORAL_UI}/namespaces/default/workflows/${encodeURIComponent(`upgrade:${CUSTOMER}:${orderNo}`)}`);
    await shoot(page, '04-delivery-contract');
    await expectAccessible(page, 'delivery');

    // A refusal shows as the API words it: a blank contract reference is a 400 naming the field.
    const sign = page.getByRole('form', { name: 'Sign the contract' });
    await sign.getByRole('button', { name: 'Sign the contract' }).click();
    await sign
      .getByRole('alert')
      .filter({ hasText: /Refused \(400\)/ })
      .waitFor();
    await expect(sign.getByRole('alert').textContent()).resolves.toContain('contractRef');
    await sign.getByLabel('Contract reference').fill('CT-2026-0012');
    await sign.getByRole('button', { name: 'Sign the contract' }).click();

    // The plan: revision 1 rejected with a comment, revision 2 drafted and shown beside it, approved.
    await page.getByRole('button', { name: 'Reject revision 1' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Comment').fill('after month-end close, please');
    await page.getByRole('button', { name: 'Reject revision 1' }).click();
    const revision2 = page.locator('[data-revision="2"]');
    await revision2.waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-revision="1"]').textContent()).resolves.toContain('after month-end close, please');
    await shoot(page, '05-plan-revisions');
    await page.getByRole('button', { name: 'Approve revision 2' }).click();

    // The rehearsal passes; the picker shows the window in the customer's time zone, and moves it to now.
    await page.getByTestId('gate').filter({ hasText: 'Cutover window' }).waitFor({ timeout: 60_000 });
    const moveForm = page.getByRole('form', { name: 'Cutover window' });
    await expect(moveForm.getByTestId('window-time-zone').textContent()).resolves.toBe("In the customer's time zone, Europe/Berlin");
    const opensAt = moveForm.getByLabel('Opens at');
    await expect(opensAt.inputValue()).resolves.toBe('2027-07-01T22:00');
    // 02:30 does not exist in Berlin on 28 March 2027 (summer time starts): refused, not shifted.
    await opensAt.fill('2027-03-28T02:30');
    await moveForm.getByRole('alert').filter({ hasText: '2027-03-28 02:30 does not exist in Europe/Berlin' }).waitFor();
    await expect(moveForm.getByRole('button', { name: 'Move the window' }).isDisabled()).resolves.toBe(true);
    await shoot(page, '05b-cutover-window-berlin');
    await expectAccessible(page, 'cutover window picker');
    const aMinuteAgo = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const inBerlin = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(aMinuteAgo);
    await opensAt.fill(inBerlin.replace(' ', 'T'));
    await moveForm.getByRole('button', { name: 'Move the window' }).click();

    // Cutover runs; at acceptance the cutover report reads as a document with its tables.
    await page.getByTestId('gate').filter({ hasText: 'Acceptance' }).waitFor({ timeout: 90_000 });
    const moved = await api.request('GET', `/v1/deliveries/${id}/audit`, { as: 'viewer' });
    // The wall clock picked in Berlin reached the delivery as that very instant.
    expect(moved.body.filter((e: any) => e.action === 'cutover-window.moved').map((e: any) => [e.actor, new Date(e.detail.startsAt).toISOString()])).toEqual([
      ['ada', aMinuteAgo.toISOString()],
    ]);
    await page.locator('button[data-report-kind="cutover"]').click();
    const report = page.locator('.report.markdown');
    await report.locator('table').first().waitFor();
    await shoot(page, '06-cutover-report');
    await page.getByRole('button', { name: 'Confirm acceptance' }).click();
    await page.getByTestId('phase').filter({ hasText: 'Completed' }).waitFor({ timeout: 60_000 });
    await expect(progress.getAttribute('value')).resolves.toBe('100');
    await page.locator('table.audit').getByText('plan.rejected').waitFor();
    await shoot(page, '07-delivery-completed');
    await context.close();

    const done = await waitForDelivery(api, id, (d) => d.phase === 'completed');
    expect(done.live.plans.map((p: any) => [p.revision, p.status, p.comment])).toEqual([
      [1, 'rejected', 'after month-end close, please'],
      [2, 'approved', undefined],
    ]);
  });

  it('shows a viewer no action, and a customer-confined manager only its customer, in Chinese', async () => {
    const theirs = (await api.request('GET', `/v1/deliveries?customerId=${CUSTOMER}`, { as: 'viewer' })).body.items[0];
    expect(theirs).toBeDefined();

    const viewer = await signedIn('viewer');
    await viewer.page.goto(`${api.baseUrl}/#/deliveries/${theirs.id}`);
    await viewer.page.getByTestId('phase').waitFor();
    expect(await viewer.page.getByRole('button').allTextContents()).toEqual(expect.not.arrayContaining(['Cancel the delivery', 'Confirm acceptance']));
    expect(await viewer.page.locator('form.action').count()).toBe(0);
    expect(await viewer.page.getByRole('link', { name: 'Start a delivery' }).count()).toBe(0);
    await shoot(viewer.page, '08-viewer-delivery');
    await viewer.page.goto(`${api.baseUrl}/#/environments`);
    await viewer.page.locator('tr[data-environment="erp-production"]').waitFor();
    expect(await viewer.page.getByRole('button', { name: 'Check connection' }).count()).toBe(0);
    await viewer.context.close();

    // The browser asks for Chinese: the console answers in Chinese, and switches to English on request.
    const confined = await signedIn('confined', 'zh-CN');
    await confined.page.getByRole('heading', { name: '交付总览' }).waitFor();
    await confined.page.locator('table.deliveries tbody tr').first().waitFor();
    const customers = await confined.page.locator('table.deliveries tbody tr td:nth-child(3)').allTextContents();
    expect(customers.length).toBeGreaterThan(0);
    expect(new Set(customers)).toEqual(new Set(['CUST-CONFINED']));
    await shoot(confined.page, '09-confined-portfolio-zh');
    await expectAccessible(confined.page, 'portfolio (zh)');
    await confined.page.goto(`${api.baseUrl}/#/deliveries/${theirs.id}`);
    await confined.page.getByRole('alert').filter({ hasText: '404' }).waitFor();
    await confined.page.getByLabel('语言').selectOption('en');
    await confined.page.getByRole('link', { name: 'Portfolio' }).waitFor();
    await confined.context.close();
  });

  it("lists a manager's open catalog tasks in the inbox, linked to their delivery", async () => {
    // An on-site package (a catalog flow of human tasks) started by max: its kick-off task is his.
    const started = await api.request('POST', '/v1/deliveries', {
      as: 'manager',
      body: {
        serviceType: 'onsite-package',
        customerId: CUSTOMER,
        orderNo: `SO-${randomUUID().slice(0, 8)}`,
        parameters: { personDays: 12, validUntil: `${new Date().getUTCFullYear() + 1}-06-30` },
      },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(started.status).toBe(202);
    const deliveryId = started.body.id as string;
    let open: { id: string; assignee: string }[] = [];
    for (let tries = 0; tries < 100 && !open.length; tries++) {
      open = (await api.request('GET', `/v1/tasks?deliveryId=${deliveryId}&status=open`, { as: 'viewer' })).body.items ?? [];
      if (!open.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(open.map((t) => t.assignee)).toEqual(['max']);

    const { context, page } = await signedIn('manager');
    await page.getByRole('link', { name: 'My tasks' }).click();
    const row = page.locator(`tr[data-task="${open[0]!.id}"]`);
    await row.waitFor();
    // The product by its catalog name, once the catalog has loaded.
    await row
      .locator('td:nth-child(2)')
      .filter({ hasText: /^On-site service package$/ })
      .waitFor();
    await shoot(page, '10-tasks-inbox');
    await expectAccessible(page, 'tasks');
    await row.getByRole('link').click();
    await page.waitForURL(`**/#/deliveries/${deliveryId}`);
    await context.close();
  });

  it('keeps the token out of URLs and in the tab only', async () => {
    const { context, page } = await signedIn('manager');
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.reload();
    await page.getByRole('heading', { name: 'Portfolio' }).waitFor();
    expect(urls.filter((u) => u.includes(TOKENS.manager))).toEqual([]);
    expect(await page.evaluate<string>('JSON.stringify(localStorage)')).not.toContain(TOKENS.manager);
    expect(await page.evaluate<string>('JSON.stringify(sessionStorage)')).toContain(TOKENS.manager);
    // A new tab (a new session) must sign in again.
    const other = await context.newPage();
    await other.goto(api.baseUrl + '/');
    await other.getByLabel('API token').waitFor();
    await context.close();
  });
});
