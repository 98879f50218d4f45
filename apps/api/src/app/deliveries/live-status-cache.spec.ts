import type { DeliveryStatus } from '@sdo/contracts';
import { LiveStatusCache } from './live-status-cache';

const status = (phase: DeliveryStatus['phase'], step = 'x') => ({ phase, step }) as DeliveryStatus;

describe('LiveStatusCache', () => {
  let now = 0;
  const cache = (maxAgeMs = 3_000, capacity?: number) => new LiveStatusCache(maxAgeMs, capacity, () => now);
  const v1 = new Date('2026-11-30T10:00:00.000Z');
  const v2 = new Date('2026-11-30T10:00:00.001Z');
  beforeEach(() => (now = 1_000_000));

  it('reuses a status while the row is unchanged and the status younger than the limit', () => {
    const c = cache();
    c.remember('w', v1, status('plan'));
    now += 2_999;
    expect(c.get('w', v1)?.phase).toBe('plan');
    now += 1;
    expect(c.get('w', v1)).toBeUndefined();
  });

  it('never reuses one read against another version of the row', () => {
    const c = cache();
    c.remember('w', v1, status('plan'));
    expect(c.get('w', v2)).toBeUndefined();
    expect(c.get('other', v1)).toBeUndefined();
  });

  it('keeps a closed delivery until its row changes; forgets on a decision', () => {
    const c = cache();
    c.remember('done', v1, status('completed'));
    c.remember('w', v1, status('plan'));
    now += 3_600_000;
    expect(c.get('done', v1)?.phase).toBe('completed');
    expect(c.get('done', v2)).toBeUndefined();
    c.forget('done');
    expect(c.get('done', v1)).toBeUndefined();
  });

  it('stores nothing when disabled, and drops the oldest entry when full', () => {
    const off = cache(0);
    off.remember('w', v1, status('completed'));
    expect(off.get('w', v1)).toBeUndefined();
    const c = cache(3_000, 2);
    c.remember('a', v1, status('plan'));
    c.remember('b', v1, status('plan'));
    c.remember('c', v1, status('plan'));
    expect([c.get('a', v1), c.get('b', v1)?.phase, c.get('c', v1)?.phase]).toEqual([undefined, 'plan', 'plan']);
  });

  it('keeps the last answer of a row version past the limit, with its time, for a read the workflow does not answer in time', () => {
    const c = cache();
    c.remember('w', v1, status('plan'));
    const answeredAt = now;
    now += 60_000;
    expect(c.get('w', v1)).toBeUndefined();
    expect(c.lastAnswer('w', v1)).toEqual({ status: status('plan'), at: new Date(answeredAt) });
    expect(c.lastAnswer('w', v2)).toBeUndefined();
    c.forget('w');
    expect(c.lastAnswer('w', v1)).toBeUndefined();
  });
});
