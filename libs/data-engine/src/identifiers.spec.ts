import { DeliveryError } from '@sdo/contracts';
import { quoteIdent } from '@sdo/pg-kit';
import { quotePg, quoteSqlite } from './identifiers';

describe('data engine identifiers', () => {
  it('quote PostgreSQL names with the one toolkit quoter; SQLite (no limit) keeps its own', () => {
    expect(quotePg).toBe(quoteIdent);
    expect(() => quotePg('x'.repeat(64))).toThrow(DeliveryError);
    expect(quoteSqlite('x'.repeat(64))).toBe(`"${'x'.repeat(64)}"`);
  });
});
