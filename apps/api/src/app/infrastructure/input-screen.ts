import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import type { FieldProblem } from '@sdo/catalog';
import { invalidRequest } from './validation';

/** Deeper JSON than this is refused before it is parsed (no DTO nests beyond 8). */
export const MAX_JSON_DEPTH = 32;

/** Keys that reach Object.prototype when a library copies them: refused wherever they appear. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A NUL byte, or a UTF-16 surrogate that is not half of a pair (PostgreSQL and Temporal refuse both). */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const BAD_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * How deeply the JSON text nests, counted without parsing it (brackets inside strings do not
 * count). Stops at `limit + 1`, so a 100,000-deep body costs as little as a flat one.
 */
export function jsonDepthExceeds(text: Buffer | string, limit = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** body-parser's `verify`: refuses too-deep JSON before JSON.parse and class-transformer recurse into it. */
export function refuseDeepJson(_req: unknown, _res: unknown, body: Buffer): void {
  if (jsonDepthExceeds(body)) throw invalidRequest([{ field: 'body', reason: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
}

function describe(path: string, key: string | number): string {
  return path ? `${path}.${key}` : String(key);
}

/**
 * Problems of raw input that no DTO may see: text with NUL bytes or lone surrogates (in values
 * and keys), and prototype keys (`__proto__`, `constructor`, `prototype`) at any depth.
 * Arrays and objects are walked without recursion limits beyond MAX_JSON_DEPTH (the parser's cap).
 */
export function screenInput(value: unknown, path = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: [unknown, string, number][] = [[value, path, 0]];
  while (stack.length) {
    const [v, at, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (BAD_CHARACTER.test(v)) problems.push({ field: at || 'value', reason: 'must not contain NUL characters or unpaired UTF-16 surrogates' });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      problems.push({ field: at || 'body', reason: `nests deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, describe(at, i), depth + 1]));
      continue;
    }
    for (const key of Object.keys(v)) {
      const field = describe(at, key);
      if (FORBIDDEN_KEYS.has(key)) problems.push({ field, reason: 'is a reserved name and not a known field' });
      else if (BAD_CHARACTER.test(key)) problems.push({ field: at || 'body', reason: 'has a key with NUL characters or unpaired UTF-16 surrogates' });
      else stack.push([(v as Record<string, unknown>)[key], field, depth + 1]);
    }
  }
  return problems.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/**
 * Runs before validation on every body, query and path parameter: refuses what `screenInput`
 * finds with a 400 naming each field, before class-transformer copies anything or a service runs.
 */
@Injectable()
export class InputScreenPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query' && metadata.type !== 'param') return value;
    const problems = screenInput(value, metadata.type === 'param' && metadata.data ? metadata.data : '');
    if (problems.length) throw invalidRequest(problems);
    return value;
  }
}
