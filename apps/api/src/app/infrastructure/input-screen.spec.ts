import { jsonDepthExceeds, MAX_JSON_DEPTH, screenInput } from './input-screen';

describe('jsonDepthExceeds', () => {
  it('counts nesting without parsing, ignoring brackets in strings and escaped quotes', () => {
    expect(jsonDepthExceeds('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' }))).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ a: 'say \\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"' }))).toBe(false);
    expect(jsonDepthExceeds('{"a":'.repeat(100_000), 32)).toBe(true);
  });
});

describe('screenInput', () => {
  it('names NUL bytes and lone surrogates in values at any depth, and keeps surrogate pairs', () => {
    expect(screenInput({ a: 'ok\u0000', b: [{ c: '\ud800' }, 'x\udc00'], d: '😀', e: 'fine' })).toEqual([
      { field: 'a', reason: expect.stringMatching(/NUL/) },
      { field: 'b.0.c', reason: expect.stringMatching(/surrogate/) },
      { field: 'b.1', reason: expect.stringMatching(/surrogate/) },
    ]);
    expect(screenInput('a\u0000', 'id')).toEqual([{ field: 'id', reason: expect.stringMatching(/NUL/) }]);
  });

  it('names prototype keys wherever they are, and keys with bad characters', () => {
    const body = JSON.parse('{"reason":{"constructor":1},"__proto__":{"x":1},"list":[{"prototype":2}],"k\\u0000":1}');
    expect(screenInput(body).map((p) => p.field)).toEqual(['__proto__', 'body', 'list.0.prototype', 'reason.constructor']);
  });

  it('passes ordinary input untouched', () => {
    expect(screenInput({ name: 'ERP 生产', port: 5432, ssl: false, tags: null, nested: { list: [1, 'two'] } })).toEqual([]);
  });
});
