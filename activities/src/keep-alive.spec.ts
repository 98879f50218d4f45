import { MockActivityEnvironment } from '@temporalio/testing';
import { keepAlive } from './keep-alive';

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
