import { ResolveHost, systemResolve } from './environment-policy';
import { parseAllowedAddresses, WebhookPolicy } from './webhook-policy';
import { signWebhook, verifyWebhook } from './webhook-signature';

const resolver =
  (answers: Record<string, string[]>): ResolveHost =>
  async (name) =>
    answers[name] ?? systemResolve(name);

describe('webhook policy', () => {
  const resolve = resolver({
    'hooks.customer.example': ['203.0.113.10'],
    'rebind.customer.example': ['203.0.113.11', '10.0.0.7'],
    'inside.customer.example': ['192.168.7.7'],
    'tunnel.customer.example': ['2002:7f00:1::1'],
  });
  const strict = new WebhookPolicy({ allowHttp: false, allowedAddresses: [], resolve });
  const dev = new WebhookPolicy({ allowHttp: true, allowedAddresses: ['127.0.0.1'], resolve });

  it('allows a public https receiver and says which address to connect to', async () => {
    await expect(strict.check('https://hooks.customer.example/sdo?x=1')).resolves.toMatchObject({ kind: 'allowed', address: '203.0.113.10' });
  });

  it.each([
    ['https://localhost:8080/', 'internal'],
    ['https://localhost./', 'internal'],
    ['https://LOCALHOST/', 'internal'],
    ['https://127.0.0.1/', 'internal'],
    ['https://127.1/', 'internal'],
    ['https://2130706433/', 'internal'],
    ['https://0x7f000001/', 'internal'],
    ['https://0177.0.0.1/', 'internal'],
    ['https://[::1]/', 'internal'],
    ['https://[::ffff:127.0.0.1]/', 'internal'],
    ['https://[::ffff:7f00:1]/', 'internal'],
    ['https://[64:ff9b::7f00:1]/', 'internal'],
    ['https://tunnel.customer.example/', 'internal'],
    ['https://10.1.2.3/', 'internal'],
    ['https://172.20.0.1/', 'internal'],
    ['https://192.168.0.1/', 'internal'],
    ['https://100.64.0.1/', 'internal'],
    ['https://[fd12::1]/', 'internal'],
    ['https://inside.customer.example/', 'internal'],
    ['https://rebind.customer.example/', 'internal'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://[fe80::1]/', 'link-local'],
    ['https://metadata.google.internal/', 'metadata'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://[::]/', 'unspecified'],
    ['https://224.0.0.1/', 'multicast'],
  ])('refuses %s (%s)', async (url, why) => {
    const check = await strict.check(url);
    expect(check).toEqual({ kind: 'refused', reason: expect.stringContaining(why) });
  });

  it.each(
    [
      ['http://hooks.customer.example/', 'https'],
      ['ftp://hooks.customer.example/', 'https'],
      ['file:///etc/passwd', 'https'],
      ['https://user:pw@hooks.customer.example/', 'credentials'],
      ['https://hooks.customer.example/\u0000', 'control'],
      ['https://hooks.customer.example/\n', 'control'],
      ['https://hooks.customer.example/#x', 'fragment'],
      ['hooks.customer.example/sdo', 'absolute'],
      [`https://hooks.customer.example/${'a'.repeat(3000)}`, 'longer'],
    ].map(([url, why]) => [why!, url!]),
  )('refuses a URL that is %s (%#)', async (why, url) => {
    expect(await strict.check(url)).toEqual({ kind: 'refused', reason: expect.stringContaining(why) });
  });

  it('lets the allow-list open exactly the listed internal addresses, never the forbidden ones', async () => {
    expect(await dev.check('http://127.0.0.1:4000/hook')).toMatchObject({ kind: 'allowed', address: '127.0.0.1' });
    expect((await dev.check('http://127.0.0.2:4000/hook')).kind).toBe('refused');
    expect((await dev.check('http://[::1]:4000/hook')).kind).toBe('refused');
    // localhost also resolves to ::1 here (every address must pass) or only to 127.0.0.1: either way no other loopback gets through.
    const open = new WebhookPolicy({ allowHttp: true, allowedAddresses: ['0.0.0.0/0', '::/0'], resolve });
    expect((await open.check('http://169.254.169.254/')).kind).toBe('refused');
    expect((await open.check('http://10.0.0.1/')).kind).toBe('allowed');
  });

  it('reads allow-lists of addresses and ranges and refuses anything else', () => {
    expect(parseAllowedAddresses(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'])).toBeDefined();
    for (const bad of ['localhost', '10.0.0.0/33', '::1/129', '1.2.3.4/x']) expect(parseAllowedAddresses([bad])).toBeUndefined();
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test-secret-0123456789abcdef';
  const body = JSON.stringify({ id: 'e1', type: 'gate.waiting' });
  const now = 1_800_000_000;
  const signed = { secret, body, timestamp: String(now), signature: signWebhook(secret, now, body), nowSeconds: now + 10 };

  it('verifies what SDO signed', () => {
    expect(verifyWebhook(signed)).toEqual({ valid: true });
    expect(verifyWebhook({ ...signed, signature: `v0=abc, ${signed.signature}` })).toEqual({ valid: true });
  });

  it('refuses a tampered body, another secret, a moved timestamp and an old replay', () => {
    expect(verifyWebhook({ ...signed, body: body.replace('gate.waiting', 'gate.escalation') }).valid).toBe(false);
    expect(verifyWebhook({ ...signed, secret: `${secret}x` }).valid).toBe(false);
    expect(verifyWebhook({ ...signed, timestamp: String(now + 1) }).valid).toBe(false);
    expect(verifyWebhook({ ...signed, nowSeconds: now + 301 })).toEqual({ valid: false, reason: expect.stringContaining('replay') });
    expect(verifyWebhook({ ...signed, timestamp: undefined }).valid).toBe(false);
    expect(verifyWebhook({ ...signed, signature: undefined }).valid).toBe(false);
  });
});
