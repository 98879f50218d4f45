import { copyUnits, OWN_ACTIVITY_ROWS, TABLES_PER_ACTIVITY } from './data-engine';

const tables = (n: number, rows: number, prefix = 't') => Array.from({ length: n }, (_, i) => ({ table: `${prefix}${i + 1}`, rows }));

describe('copyUnits (which tables share a copy activity)', () => {
  it('gives every big table an activity of its own and deals the small ones over the lanes', () => {
    const units = copyUnits([{ table: 'ledger', rows: OWN_ACTIVITY_ROWS }, ...tables(5, 10)], 2);
    expect(units).toEqual([['ledger'], ['t1', 't3', 't5'], ['t2', 't4']]);
  });

  it('keeps plan order with one lane', () => {
    expect(copyUnits(tables(4, 10), 1)).toEqual([['t1', 't2', 't3', 't4']]);
  });

  it('closes a unit at 100 tables: 250 tiny tables over two lanes are four activities', () => {
    const units = copyUnits(tables(250, 3), 2);
    expect(units.map((u) => u.length)).toEqual([100, 100, 25, 25]);
    expect(new Set(units.flat()).size).toBe(250);
  });

  it('closes a unit at a million rows, so progress moves while many mid-sized tables copy', () => {
    const units = copyUnits(tables(30, 40_000), 1);
    expect(units.map((u) => u.length)).toEqual([25, 5]);
  });

  it('has no empty unit when there are fewer small tables than lanes', () => {
    expect(copyUnits([{ table: 'only', rows: 1 }], 4)).toEqual([['only']]);
    expect(copyUnits([], 2)).toEqual([]);
  });

  it('puts a whole small job in one unit when asked, whatever the lanes', () => {
    const small = tables(11, 1_500);
    expect(copyUnits(small, 2, { smallJobAlone: true })).toEqual([small.map((t) => t.table)]);
    expect(copyUnits(small, 2)).toHaveLength(2);
    // Just short of a table of its own in all: still one unit; at that size, lanes again.
    expect(copyUnits(tables(2, OWN_ACTIVITY_ROWS / 2 - 1), 2, { smallJobAlone: true })).toHaveLength(1);
    expect(copyUnits(tables(2, OWN_ACTIVITY_ROWS / 2), 2, { smallJobAlone: true })).toHaveLength(2);
    expect(copyUnits(tables(TABLES_PER_ACTIVITY + 1, 1), 2, { smallJobAlone: true }).length).toBeGreaterThan(1);
  });
});
