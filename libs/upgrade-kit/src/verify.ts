import type { QueryArrayConfig } from 'pg';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { readOnlySqlProblem } from '@sdo/data-engine';
import { TargetConnection, withClient } from '@sdo/pg-kit';
import { UpgradePackage, Verification } from './package';

export interface VerificationResult {
  name: string;
  passed: boolean;
  /** What was expected and what was found, for the report. */
  detail: string;
  rowCount: number;
  executionTimeMs: number;
}

/** Why a verification's SQL is refused (PostgreSQL's parser: one SELECT, no state-changing built-in), or undefined. */
export function verificationProblem(sql: string): Promise<string | undefined> {
  return readOnlySqlProblem(sql, { engine: 'postgres', productFunctions: true, what: 'a verification' });
}

/** Every verification of the package that is not a single read-only SELECT, with its position and reason. */
export async function verificationProblems(pkg: Pick<UpgradePackage, 'verifications'>): Promise<{ index: number; name: string; reason: string }[]> {
  const problems: { index: number; name: string; reason: string }[] = [];
  for (const [index, v] of pkg.verifications.entries()) {
    const reason = await verificationProblem(v.sql);
    if (reason) problems.push({ index, name: v.name, reason });
  }
  return problems;
}

/** Throws `InvalidPackage` naming each verification that is not a single read-only SELECT. */
export async function assertReadOnlyVerifications(pkg: UpgradePackage): Promise<void> {
  const problems = await verificationProblems(pkg);
  if (!problems.length) return;
  throw new DeliveryError(
    DeliveryFailureType.InvalidPackage,
    `Upgrade package "${pkg.name}" has verifications that are not a single read-only SELECT: ${problems.map((p) => `"${p.name}" ${p.reason}`).join('; ')}.`,
    { package: pkg.name, problems: problems.map((p) => `verification "${p.name}" ${p.reason}`) },
  );
}

/**
 * Runs every verification query of the package, each in a read-only transaction that is rolled
 * back (a verification can never change the target). The query goes through the extended
 * protocol, which takes exactly one statement: it cannot end the transaction and carry on
 * (`COMMIT; UPDATE …`). A query that errors is a failed verification.
 */
export async function runVerifications(conn: TargetConnection, pkg: UpgradePackage): Promise<VerificationResult[]> {
  return withClient(conn, async (client) => {
    const results: VerificationResult[] = [];
    for (const v of pkg.verifications) {
      const t0 = Date.now();
      try {
        await client.query('BEGIN TRANSACTION READ ONLY');
        const answer = await client.query({ text: v.sql, rowMode: 'array', queryMode: 'extended' } as QueryArrayConfig);
        const rows = answer.rows as unknown[][];
        results.push({ name: v.name, ...judge(v, rows), rowCount: rows.length, executionTimeMs: Date.now() - t0 });
      } catch (err) {
        const e = err as { message?: string; code?: string };
        results.push({
          name: v.name,
          passed: false,
          detail: `the query failed: ${e.message ?? String(err)}${e.code ? ` [SQLSTATE ${e.code}]` : ''}`,
          rowCount: 0,
          executionTimeMs: Date.now() - t0,
        });
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    }
    return results;
  });
}

/** Throws `VerificationFailed` listing each failed verification and why. */
export function assertVerificationsPassed(results: VerificationResult[]): void {
  const failed = results.filter((r) => !r.passed);
  if (!failed.length) return;
  throw new DeliveryError(
    DeliveryFailureType.VerificationFailed,
    `${failed.length} of ${results.length} verification${results.length === 1 ? '' : 's'} failed: ${failed.map((f) => `"${f.name}": ${f.detail}`).join('; ')}.`,
    { failed: failed.map((f) => ({ name: f.name, detail: f.detail })) },
  );
}

function judge(v: Verification, rows: unknown[][]): { passed: boolean; detail: string } {
  const first = rows[0];
  const preview = first ? ` (first row: ${first.map(show).join(', ')})` : '';
  if (v.expect === 'rows') {
    return rows.length > 0
      ? { passed: true, detail: `${rows.length} row${rows.length === 1 ? '' : 's'} as expected` }
      : { passed: false, detail: 'expected at least one row, got none' };
  }
  if (v.expect === 'no-rows') {
    return rows.length === 0 ? { passed: true, detail: 'no rows as expected' } : { passed: false, detail: `expected no rows, got ${rows.length}${preview}` };
  }
  const expected = v.expect.equals;
  if (!first) return { passed: false, detail: `expected "${expected}", got no rows` };
  const actual = first[0] === null || first[0] === undefined ? null : show(first[0]);
  return actual === expected
    ? { passed: true, detail: `"${actual}" as expected` }
    : { passed: false, detail: `expected "${expected}", got ${actual === null ? 'NULL' : `"${actual}"`}` };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  const s = String(value);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
