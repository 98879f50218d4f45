import { TableProgress } from './progress';

describe('TableProgress', () => {
  const tables = [
    { table: 'customer', rows: 400 },
    { table: 'sales_order', rows: 600 },
  ];
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('shows tables and rows done, the rate and the ETA from the start of the stage (org split)', () => {
    const progress = new TableProgress({ clock: 'start' });
    expect(progress.describe()).toBeUndefined();
    jest.setSystemTime(1_000);
    progress.start('cutover: copying', tables);
    progress.working('customer');
    expect(progress.describe()).toBe('cutover: copying — 0/2 tables, 0/1000 rows (now customer)');
    jest.setSystemTime(3_000);
    progress.finished('customer', 400);
    expect(progress.describe()).toBe('cutover: copying — 1/2 tables, 400/1000 rows, 200 rows/s, ETA 3 s');
    progress.stageIs('cutover: verifying');
    progress.finished('sales_order', 700);
    expect(progress.describe()).toBe('cutover: verifying — 2/2 tables, 1100/1100 rows, 550 rows/s');
  });

  it('describes the stage until the first table starts the clock (carryover purge)', () => {
    const progress = new TableProgress({ clock: 'first table', verb: 'purged', before: (rows, n) => `${rows} historical rows in ${n} tables` });
    progress.start('cutover: archiving and verifying', tables);
    jest.setSystemTime(5_000);
    expect(progress.describe()).toBe('cutover: archiving and verifying — 1000 historical rows in 2 tables');
    progress.stageIs('cutover: purging');
    progress.working('sales_order');
    jest.setSystemTime(7_000);
    progress.finished('sales_order', 600);
    expect(progress.describe()).toBe('cutover: purging — purged 1/2 tables, 600/1000 rows, 300 rows/s, ETA 2 s');
  });

  it('counts each stage from zero over the planned tables, with several units at once (conversion copy lanes)', () => {
    const progress = new TableProgress({ clock: 'start' });
    progress.restart('introspecting the source');
    expect(progress.describe()).toBe('introspecting the source');
    progress.planned(3, 1000);
    progress.restart('copying');
    progress.working('ledger_entry');
    progress.working('album and 1 more');
    expect(progress.describe()).toBe('copying — 0/3 tables, 0/1000 rows (now ledger_entry, album and 1 more)');
    jest.setSystemTime(2_000);
    progress.finished('album', 100);
    progress.finished('artist', 100);
    progress.idle('album and 1 more');
    expect(progress.describe()).toBe('copying — 2/3 tables, 200/1000 rows, 100 rows/s, ETA 8 s (now ledger_entry)');
    progress.restart('verifying');
    expect(progress.describe()).toBe('verifying — 0/3 tables, 0/1000 rows');
  });
});
