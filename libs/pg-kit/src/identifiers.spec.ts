import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { quoteIdent, quoteQualified } from './identifiers';

function refusal(fn: () => unknown): DeliveryError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).type).toBe(DeliveryFailureType.InvalidParameters);
    return err as DeliveryError;
  }
  throw new Error('expected a refusal');
}

describe('identifier quoting', () => {
  it('always double-quotes and doubles inner quotes, so no name can end the identifier', () => {
    expect(quoteIdent('invoice_lines')).toBe('"invoice_lines"');
    expect(quoteIdent('x"; DROP DATABASE "erp"; --')).toBe('"x""; DROP DATABASE ""erp""; --"');
    expect(quoteQualified('sales', 'Order')).toBe('"sales"."Order"');
  });

  it('refuses empty names and NUL characters', () => {
    refusal(() => quoteIdent(''));
    refusal(() => quoteIdent('a\0b'));
  });

  it('takes names up to 63 bytes and refuses longer ones, which PostgreSQL would silently truncate', () => {
    expect(quoteIdent('x'.repeat(63))).toBe(`"${'x'.repeat(63)}"`);
    expect(refusal(() => quoteIdent('x'.repeat(64))).message).toContain('63 bytes');
    expect(() => quoteQualified('public', 'y'.repeat(64))).toThrow(DeliveryError);
  });

  it('counts bytes, not characters: multibyte names are refused past 63 bytes', () => {
    expect(quoteIdent('账'.repeat(21))).toBe(`"${'账'.repeat(21)}"`); // 63 bytes
    refusal(() => quoteIdent('账'.repeat(22))); // 22 characters, 66 bytes
    refusal(() => quoteIdent(`${'x'.repeat(60)}é€`)); // 62 characters, 65 bytes
  });
});
