import { isOverdue } from './overdue';
import { inboxOrder } from './inbox';
import { fieldKind, type OpenApiDocument, parameterSchemaOf, parametersFrom } from './pages/schema-form';
import { isSkippedWallClock, wallClockIn, zonedInstant } from './time';

describe('the cutover window picker', () => {
  it.each([
    ['2026-12-05T22:00', 'Asia/Shanghai', '2026-12-05T22:00:00+08:00'],
    ['2026-07-01T09:30', 'Europe/Berlin', '2026-07-01T09:30:00+02:00'],
    ['2026-01-15T09:30', 'Europe/Berlin', '2026-01-15T09:30:00+01:00'],
    // Either side of the switch to summer time (02:00 → 03:00 on 29 March 2026).
    ['2026-03-29T01:30', 'Europe/Berlin', '2026-03-29T01:30:00+01:00'],
    ['2026-03-29T03:30', 'Europe/Berlin', '2026-03-29T03:30:00+02:00'],
    ['2026-03-01T00:00', 'UTC', '2026-03-01T00:00:00+00:00'],
    ['2026-12-31T23:59', 'Asia/Tokyo', '2026-12-31T23:59:00+09:00'],
  ])('reads %s in %s as %s', (wallClock, zone, instant) => {
    expect(zonedInstant(wallClock, zone)).toBe(instant);
    expect(new Date(instant).getTime()).toBe(new Date(zonedInstant(wallClock, zone)).getTime());
  });

  it('tells a wall clock that the switch to summer time skips, and reads one that exists twice as the later', () => {
    expect(isSkippedWallClock('2026-03-29T02:30', 'Europe/Berlin')).toBe(true);
    expect(isSkippedWallClock('2026-03-29T02:00', 'Europe/Berlin')).toBe(true);
    expect(isSkippedWallClock('2026-03-08T02:30', 'America/New_York')).toBe(true);
    expect(isSkippedWallClock('2026-03-29T01:59', 'Europe/Berlin')).toBe(false);
    expect(isSkippedWallClock('2026-03-29T03:00', 'Europe/Berlin')).toBe(false);
    expect(isSkippedWallClock('2026-03-29T02:30', 'Asia/Shanghai')).toBe(false);
    expect(isSkippedWallClock('2026-10-25T02:30', 'Europe/Berlin')).toBe(false);
    expect(zonedInstant('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T02:30:00+01:00');
  });

  it('shows an instant as the wall clock of the chosen zone', () => {
    expect(wallClockIn('2026-12-05T14:00:00Z', 'Asia/Shanghai')).toBe('2026-12-05T22:00');
    expect(wallClockIn('2026-12-05T23:30:00Z', 'Asia/Shanghai')).toBe('2026-12-06T07:30');
    expect(wallClockIn('2026-12-05T14:00:00Z', 'UTC')).toBe('2026-12-05T14:00');
    expect(zonedInstant(wallClockIn('2026-06-05T14:07:00Z', 'Europe/Berlin'), 'Europe/Berlin')).toBe('2026-06-05T16:07:00+02:00');
  });
});

describe('the start form generated from /docs-json', () => {
  const doc: OpenApiDocument = {
    components: {
      schemas: {
        StartUpgradeDeliveryDto: { properties: { parameters: { $ref: '#/components/schemas/UpgradeParametersDto' } } },
        UpgradeParametersDto: {
          type: 'object',
          required: ['packageId'],
          properties: { packageId: { type: 'string', format: 'uuid', description: 'ID of a registered upgrade package (POST /v1/upgrade-packages)' } },
        },
        StartDatabaseConversionDeliveryDto: { properties: { parameters: { $ref: '#/components/schemas/ConversionDto' } } },
        ConversionDto: {
          type: 'object',
          properties: {
            targetSchema: { type: 'string' },
            naming: { type: 'string', enum: ['snake', 'preserve'] },
            batchSize: { type: 'integer' },
            dryRun: { type: 'boolean' },
            rename: { type: 'object' },
            exclude: { type: 'array', items: { type: 'string' } },
            nested: { allOf: [{ $ref: '#/components/schemas/UpgradeParametersDto' }] },
          },
        },
      },
    },
  };

  it("finds each service's parameter schema and an input per field", () => {
    expect(parameterSchemaOf(doc, 'upgrade')?.required).toEqual(['packageId']);
    expect(parameterSchemaOf(doc, 'org-split')).toBeNull();
    const conversion = parameterSchemaOf(doc, 'database-conversion')!;
    expect(Object.fromEntries(Object.entries(conversion.properties!).map(([name, s]) => [name, fieldKind(doc, s)]))).toEqual({
      targetSchema: 'text',
      naming: 'enum',
      batchSize: 'number',
      dryRun: 'boolean',
      rename: 'json',
      exclude: 'json',
      nested: 'json',
    });
    expect(fieldKind(doc, parameterSchemaOf(doc, 'upgrade')!.properties!['packageId']!)).toBe('upgradePackage');
  });

  it('turns the inputs into parameters, leaving empty ones out, and names a field that is not JSON', () => {
    const conversion = parameterSchemaOf(doc, 'database-conversion')!;
    expect(parametersFrom(doc, conversion, { targetSchema: 'erp', naming: '', batchSize: '500', dryRun: 'false', exclude: '["audit_log"]' })).toEqual({
      targetSchema: 'erp',
      batchSize: 500,
      dryRun: false,
      exclude: ['audit_log'],
    });
    expect(() => parametersFrom(doc, conversion, { rename: '{oops' })).toThrow(
      expect.objectContaining({ status: 400, details: [{ field: 'parameters.rename', reason: 'must be valid JSON' }] }),
    );
  });
});

describe('overdue deliveries', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const base = {
    phase: 'plan' as const,
    awaiting: null,
    updatedAt: '2026-12-01T11:00:00Z',
    cutoverWindow: { startsAt: '2026-12-10T00:00:00Z', durationMinutes: 60 },
  };

  it('are those waiting at a gate for more than a day, or whose window opened before they were ready', () => {
    expect(isOverdue(base, now)).toBe(false);
    expect(isOverdue({ ...base, awaiting: 'planApproval', updatedAt: '2026-11-29T12:00:00Z' }, now)).toBe(true);
    expect(isOverdue({ ...base, awaiting: 'planApproval', updatedAt: '2026-12-01T00:00:00Z' }, now)).toBe(false);
    expect(isOverdue({ ...base, cutoverWindow: { startsAt: '2026-12-01T00:00:00Z', durationMinutes: 60 } }, now)).toBe(true);
    expect(isOverdue({ ...base, phase: 'cutover', cutoverWindow: { startsAt: '2026-12-01T00:00:00Z', durationMinutes: 60 } }, now)).toBe(false);
    expect(isOverdue({ ...base, phase: 'completed', awaiting: null, updatedAt: '2026-01-01T00:00:00Z' }, now)).toBe(false);
  });
});

describe('the tasks inbox', () => {
  it('puts overdue tasks first, then the nearest due date, and tasks without one last', () => {
    const tasks = [
      { id: 'later', overdue: false, dueAt: '2026-12-20T00:00:00Z' },
      { id: 'none', overdue: false, dueAt: null },
      { id: 'late', overdue: true, dueAt: '2026-11-01T00:00:00Z' },
      { id: 'sooner', overdue: false, dueAt: '2026-12-02T00:00:00Z' },
    ];
    expect([...tasks].sort(inboxOrder).map((t) => t.id)).toEqual(['late', 'sooner', 'later', 'none']);
  });
});
