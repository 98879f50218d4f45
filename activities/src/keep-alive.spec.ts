import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeat, keepAlive, withHeartbeats } from './keep-alive';

describe('keepAlive', () => {
  it('heartbeats while silent work runs and returns its result', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const result = await env.run(() => keepAlive('copying', () => new Promise((r) => setTimeout(() => r(42), 120)), 25));
    expect(result).toBe(42);
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats[0]).toMatchObject({ step: 'copying' });
  });

  it('stops heartbeating when the work fails', async () => {
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await expect(env.run(() => keepAlive('x', () => Promise.reject(new Error('boom')), 10))).rejects.toThrow('boom');
    const after = beats;
    await new Promise((r) => setTimeout(r, 50));
    expect(beats).toBe(after);
  });
});

describe('withHeartbeats (every activity, through classified)', () => {
  it("beats while a silent activity runs, repeating the previous attempt's checkpoint rather than erasing it", async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 150, heartbeatDetails: { checkpoint: 7 } });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    await env.run(() => withHeartbeats(() => new Promise((r) => setTimeout(r, 350))));
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats.every((d) => JSON.stringify(d) === JSON.stringify({ checkpoint: 7 }))).toBe(true);
  });

  it('repeats the details the activity heartbeated last, and stays quiet while the activity beats itself', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 150 });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    await env.run(() =>
      withHeartbeats(async () => {
        heartbeat({ chunk: 1 });
        await new Promise((r) => setTimeout(r, 200));
        heartbeat({ chunk: 2 });
        await new Promise((r) => setTimeout(r, 200));
      }),
    );
    expect(beats[0]).toEqual({ chunk: 1 });
    const afterSecond = beats.slice(beats.findIndex((d) => JSON.stringify(d) === JSON.stringify({ chunk: 2 })));
    expect(afterSecond.length).toBeGreaterThanOrEqual(2);
    expect(afterSecond.every((d) => JSON.stringify(d) === JSON.stringify({ chunk: 2 }))).toBe(true);
  });

  it('leaves an activity without a heartbeat timeout alone', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: undefined });
    let beats = 0;
    env.on('heartbeat', () => beats++);
    await env.run(() => withHeartbeats(() => new Promise((r) => setTimeout(r, 100))));
    expect(beats).toBe(0);
  });
});
