import { msToNumber } from '@temporalio/common/lib/time';
import type { ActivityOptions } from '@temporalio/workflow';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { activityProfiles } from '@sdo/workflows/activity-profiles';

/**
 * Crash safety, structurally (issue #8): a worker killed inside any activity must not hold a
 * delivery for hours, and crashes must not use up a step's retry budget.
 */
const ROOT = join(__dirname, '..', '..');

function sources(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path, keep);
    return keep(name) ? [path] : [];
  });
}
const code = (name: string) => name.endsWith('.ts') && !name.endsWith('.spec.ts');

describe('activity profiles of every workflow', () => {
  it('every activity proxy of every workflow uses one of the profiles, never inline options', () => {
    const files = sources(join(ROOT, 'workflows', 'src'), code);
    const calls = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?<!function )deliveryActivities<[^>]*>\(\s*([^)]*)\)/g)].map((m) => ({
        file: relative(ROOT, file),
        options: m[1]!.trim(),
      })),
    );
    // proxyActivities itself only inside deliveryActivities, which adds nothing but the task queue of the activity's kind.
    const direct = files.filter((file) => /proxyActivities</.test(readFileSync(file, 'utf8'))).map((file) => relative(ROOT, file));
    expect(direct).toEqual(['workflows/src/lifecycle/activity-profiles.ts']);
    expect(calls.length).toBeGreaterThanOrEqual(12);
    const inline = calls.filter((c) => !/^activityProfiles\.[A-Za-z]+$/.test(c.options));
    expect(inline).toEqual([]);
    const unknown = calls.filter((c) => !(c.options.replace('activityProfiles.', '') in activityProfiles));
    expect(unknown).toEqual([]);
  });

  it.each(Object.entries(activityProfiles))(
    '%s: a dead worker is noticed within a minute, or the attempt ends within 5 minutes',
    (_name, profile: ActivityOptions) => {
      const heartbeat = profile.heartbeatTimeout === undefined ? Infinity : msToNumber(profile.heartbeatTimeout);
      const startToClose = profile.startToCloseTimeout === undefined ? Infinity : msToNumber(profile.startToCloseTimeout);
      expect(heartbeat <= 60_000 || startToClose <= 5 * 60_000).toBe(true);
    },
  );

  it.each(Object.entries(activityProfiles))('%s: crashes do not use up a budget of attempts', (_name, profile: ActivityOptions) => {
    expect(profile.retry?.maximumAttempts).toBeUndefined();
  });

  it('activities heartbeat only through keep-alive, so the silent-activity beats repeat their checkpoints', () => {
    const direct = sources(join(ROOT, 'activities', 'src'), code)
      .filter((file) => !file.endsWith('keep-alive.ts'))
      .filter((file) => /\.heartbeat\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file));
    expect(direct).toEqual([]);
  });
});
