import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsNestedObject, IsNotBlank, IsOmittable, IsScalar, isIsoInstant } from './validators';

describe('isIsoInstant', () => {
  it('accepts instants with an offset whose calendar fields exist', () => {
    for (const ok of ['2026-12-05T22:00:00+08:00', '2028-02-29T00:00Z', '2026-12-31T23:59:59.999999999-05:30', '2026-01-01T00:00:00Z'])
      expect([ok, isIsoInstant(ok)]).toEqual([ok, true]);
  });

  it('refuses dates that match the pattern but do not exist, and anything without an offset', () => {
    for (const bad of [
      '2027-13-01T22:00:00Z',
      '2026-02-30T22:00:00Z',
      '2027-02-29T22:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-12-00T00:00:00Z',
      '2026-12-05T24:00:00Z',
      '2026-12-05T22:60:00Z',
      '2026-12-05T22:00:60Z',
      '2026-12-05T22:00:00+24:00',
      '2026-12-05T22:00:00',
      '2026-12-05 22:00Z',
      42,
      null,
    ]) {
      expect([bad, isIsoInstant(bad)]).toEqual([bad, false]);
    }
  });
});

class Inner {
  @IsNotBlank() name!: string;
}
class Outer {
  @IsOmittable() @IsNestedObject(() => Inner) inner?: Inner;
  @IsOmittable() @IsNestedObject(() => Inner, { each: true }) list?: Inner[];
  @IsOmittable() @IsScalar({ list: true }) value?: unknown;
  @IsOmittable() @IsScalar({ nullable: true }) fallback?: unknown;
}
const problems = (plain: object) =>
  validateSync(plainToInstance(Outer, plain))
    .map((e) => e.property)
    .sort();

describe('nested objects, scalars and blanks', () => {
  it('refuses nested objects given as arrays, texts, numbers or null', () => {
    expect(problems({ inner: { name: 'a' }, list: [{ name: 'b' }] })).toEqual([]);
    for (const inner of [[], 'x', 1, null, [{ name: 'a' }]]) expect(problems({ inner })).toEqual(['inner']);
    expect(problems({ list: ['x'] })).toEqual(['list']);
    expect(problems({ inner: { name: ' \t' } })).toEqual(['inner']);
  });

  it('accepts only scalars (and lists of them, or null, where allowed)', () => {
    expect(problems({ value: 'a', fallback: null })).toEqual([]);
    expect(problems({ value: ['a', 1] })).toEqual([]);
    expect(problems({ value: { $gt: 1 }, fallback: ['a'] })).toEqual(['fallback', 'value']);
    expect(problems({ value: null })).toEqual(['value']);
    expect(problems({ value: [['a']] })).toEqual(['value']);
  });
});
