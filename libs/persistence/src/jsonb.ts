// eslint-disable-next-line no-control-regex -- NUL is one of the characters jsonb refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * JSON text PostgreSQL's jsonb accepts: it refuses `\u0000` and lone surrogates, which a workflow's
 * text (a failure message from a customer's server) may carry. Each becomes U+FFFD, so recording a
 * state never fails, and is retried forever, over one character.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(UNSTORABLE, '\uFFFD') : v));
}
