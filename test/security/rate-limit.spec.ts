import { randomBytes } from 'node:crypto';
import { ApiTestApp, startApiTestApp, TOKENS } from '@sdo/api/testing';

/**
 * Issue #8, item 9: the rate limit is keyed on the authenticated identity, not on the raw
 * Authorization header, and requests that prove no identity are throttled per client address.
 */
const LIMIT = 6;
const ANONYMOUS_LIMIT = 4;

describe('security: rate limiting (issue #8)', () => {
  let api: ApiTestApp;
  beforeAll(async () => {
    api = await startApiTestApp({ rateLimit: { limit: LIMIT, anonymousLimit: ANONYMOUS_LIMIT, windowMs: 60_000 } });
  });
  afterAll(() => api?.close());

  const read = (authorization?: string) => api.request('GET', '/v1/environments', { as: null, headers: authorization === undefined ? {} : { authorization } });

  it('gives one identity one budget, however its token is spelled in the header', async () => {
    const spellings = [`Bearer ${TOKENS.viewer}`, `bearer ${TOKENS.viewer}`, `BEARER   ${TOKENS.viewer}  `];
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++) statuses.push((await read(spellings[i % spellings.length])).status);
    expect(statuses).toEqual([...Array(LIMIT).fill(200), 429, 429, 429]);
    // Another identity has its own budget.
    expect((await read(`Bearer ${TOKENS.manager}`)).status).toBe(200);
  });

  it('throttles junk tokens and missing tokens per client address, after the anonymous limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      const r = await read(i % 3 === 0 ? undefined : `Bearer junk-${randomBytes(8).toString('hex')}`);
      statuses.push(r.status);
    }
    expect(statuses.slice(0, ANONYMOUS_LIMIT)).toEqual(Array(ANONYMOUS_LIMIT).fill(401));
    expect(statuses.slice(ANONYMOUS_LIMIT)).toEqual(Array(statuses.length - ANONYMOUS_LIMIT).fill(429));
    // A real identity from the same address is not held back by the junk.
    expect((await read(`Bearer ${TOKENS.admin}`)).status).toBe(200);
  });
});
