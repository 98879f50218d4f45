import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActivities } from '@sdo/activities';
import { ACTIVITY_TYPES, activityGroupOf } from '@sdo/contracts';
import { HISTORIES } from '../support/histories';

// The worker registers exactly the catalogued activity types, each in one group, and every type a
// saved history scheduled (running deliveries schedule the same) is still among them.
describe('activity types', () => {
  const registered = Object.keys(createActivities({} as Parameters<typeof createActivities>[0])).sort();
  const catalogued = Object.values(ACTIVITY_TYPES).flat();

  it('are the catalogued ones, each in exactly one service or concern', () => {
    expect([...catalogued].sort()).toEqual(registered);
    expect(new Set(catalogued).size).toBe(catalogued.length);
    expect(activityGroupOf('copySplitTables')).toBe('orgSplit');
    expect(activityGroupOf('backupLive')).toBe('legacySafety');
  });

  it('include every activity type a saved history scheduled', () => {
    const scheduled = new Set<string>();
    for (const file of readdirSync(HISTORIES).filter((f) => f.endsWith('.json'))) {
      const { events } = JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as {
        events: { activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[];
      };
      for (const e of events) if (e.activityTaskScheduledEventAttributes) scheduled.add(e.activityTaskScheduledEventAttributes.activityType.name);
    }
    expect(scheduled.size).toBeGreaterThan(60);
    expect([...scheduled].filter((type) => !registered.includes(type))).toEqual([]);
  });
});
