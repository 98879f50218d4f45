import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { splitStatements } from './sql-text';

/** One versioned script of an upgrade package (Flyway's "versioned migration"). */
export interface UpgradeScript {
  /** Dotted numeric version, e.g. `2.0.1`. */
  version: string;
  description: string;
  sql: string;
}

/**
 * What a verification query must return after the upgrade:
 * - `rows`: at least one row; `no-rows`: none (typical for "find the broken rows" queries);
 * - `{ equals }`: the first column of the first row, as text, equals the given value.
 */
export type VerificationExpectation = 'rows' | 'no-rows' | { equals: string };

export interface Verification {
  name: string;
  sql: string;
  expect: VerificationExpectation;
}

export interface UpgradePackage {
  name: string;
  /** The ERP product the package upgrades (informational; shown in reports). */
  product: string;
  /** In strictly increasing version order. */
  scripts: UpgradeScript[];
  verifications: Verification[];
}

/** File name of a versioned script: `V<version>__<description>.sql`. */
const SCRIPT_FILE = /^V(\d+(?:\.\d+)*)__([A-Za-z0-9_-]+)\.sql$/;
const VERSION = /^\d+(\.\d+)*$/;
export const PACKAGE_MANIFEST = 'manifest.json';
export const PACKAGE_VERIFICATIONS = 'verifications.json';

/** sha256 (hex) of the script with line endings normalised, so a checkout with CRLF keeps its checksum. */
export function checksum(sql: string): string {
  const normalised = sql.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return createHash('sha256').update(normalised, 'utf8').digest('hex');
}

/**
 * Checksum of a verification (name, expectation and query), stored with it at registration so
 * that an edited row is noticed before it decides whether an upgrade passed. Packages registered
 * before verifications were checksummed have none and are still accepted.
 */
export function verificationChecksum(v: Verification): string {
  return checksum(`verification:v1\n${JSON.stringify([v.name, v.expect])}\n${v.sql}`);
}

/** Numeric comparison of dotted versions; missing trailing parts count as 0 (`2.0` = `2.0.0`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function isWellFormedVersion(version: string): boolean {
  return typeof version === 'string' && VERSION.test(version) && version.split('.').every((p) => Number.isSafeInteger(Number(p)));
}

/** The problems of a package on its own (no target needed); empty when it is valid. */
export function packageProblems(pkg: UpgradePackage): string[] {
  const problems: string[] = [];
  if (!pkg.name?.trim()) problems.push('the package has no name');
  if (!Array.isArray(pkg.scripts) || pkg.scripts.length === 0) problems.push('the package has no scripts');
  let previous: UpgradeScript | undefined;
  for (const script of pkg.scripts ?? []) {
    if (!isWellFormedVersion(script.version)) {
      problems.push(`script version "${script.version}" is not a dotted numeric version such as 2.0.1`);
      continue;
    }
    if (!script.sql || !script.sql.trim() || splitStatements(script.sql).length === 0) {
      problems.push(`script ${script.version} (${script.description}) is empty`);
    } else {
      const control = transactionControlStatement(script.sql);
      if (control) {
        problems.push(`script ${script.version} contains "${control}": each script runs in its own transaction, remove transaction control from it`);
      }
    }
    if (previous && compareVersions(script.version, previous.version) === 0) {
      problems.push(`version ${script.version} is used twice (${previous.description} / ${script.description})`);
    } else if (previous && compareVersions(script.version, previous.version) < 0) {
      problems.push(`script ${script.version} comes after ${previous.version}: versions must be strictly increasing`);
    }
    previous = script;
  }
  const names = new Set<string>();
  for (const v of pkg.verifications ?? []) {
    if (!v.name?.trim()) problems.push('a verification has no name');
    else if (names.has(v.name)) problems.push(`verification "${v.name}" is defined twice`);
    names.add(v.name);
    if (!v.sql?.trim()) problems.push(`verification "${v.name}" has no query`);
    const e = v.expect as unknown;
    const ok = e === 'rows' || e === 'no-rows' || (typeof e === 'object' && e !== null && typeof (e as { equals?: unknown }).equals === 'string');
    if (!ok) problems.push(`verification "${v.name}" must expect 'rows', 'no-rows' or { "equals": "<text>" }`);
  }
  return problems;
}

/** Throws `InvalidPackage` listing every problem of the package on its own. */
export function validatePackage(pkg: UpgradePackage): void {
  const problems = packageProblems(pkg);
  if (problems.length) {
    throw new DeliveryError(DeliveryFailureType.InvalidPackage, `Upgrade package "${pkg.name ?? '?'}" is invalid: ${problems.join('; ')}.`, {
      package: pkg.name,
      problems,
    });
  }
}

/** The version the package brings a target to (its last script's version). */
export function targetVersion(pkg: UpgradePackage): string {
  const last = pkg.scripts[pkg.scripts.length - 1];
  if (!last) throw new DeliveryError(DeliveryFailureType.InvalidPackage, `Upgrade package "${pkg.name}" has no scripts.`);
  return last.version;
}

/**
 * Loads a package from a folder:
 *   manifest.json        { "name": "...", "product": "..." }
 *   V2.0.0__add_x.sql    one file per script; the description is the file name's tail, `_` read as spaces
 *   verifications.json   [{ "name": "...", "sql": "...", "expect": "rows" | "no-rows" | { "equals": "..." } }]
 * Any other `.sql` file is refused (a misnamed script would otherwise be silently skipped).
 * The result is validated (`validatePackage`).
 */
export function loadPackage(folder: string): UpgradePackage {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new DeliveryError(DeliveryFailureType.InvalidPackage, `Upgrade package folder "${basename(folder)}" does not exist.`);
  }
  const manifestPath = join(folder, PACKAGE_MANIFEST);
  const manifest = readJson<{ name?: unknown; product?: unknown }>(manifestPath, folder);
  if (typeof manifest.name !== 'string' || typeof manifest.product !== 'string') {
    throw new DeliveryError(
      DeliveryFailureType.InvalidPackage,
      `${PACKAGE_MANIFEST} of package folder "${basename(folder)}" must give "name" and "product" as text.`,
    );
  }
  const scripts: UpgradeScript[] = [];
  for (const file of readdirSync(folder).sort()) {
    if (!file.toLowerCase().endsWith('.sql')) continue;
    const m = SCRIPT_FILE.exec(file);
    if (!m) {
      throw new DeliveryError(
        DeliveryFailureType.InvalidPackage,
        `Script file "${file}" in package "${manifest.name}" is not named V<version>__<description>.sql (e.g. V2.0.1__add_credit_limit.sql).`,
      );
    }
    scripts.push({ version: m[1]!, description: m[2]!.replace(/_/g, ' '), sql: readFileSync(join(folder, file), 'utf8') });
  }
  scripts.sort((a, b) => compareVersions(a.version, b.version));
  const verificationsPath = join(folder, PACKAGE_VERIFICATIONS);
  const verifications = existsSync(verificationsPath) ? readJson<Verification[]>(verificationsPath, folder) : [];
  if (!Array.isArray(verifications)) {
    throw new DeliveryError(DeliveryFailureType.InvalidPackage, `${PACKAGE_VERIFICATIONS} of package "${manifest.name}" must be a JSON array.`);
  }
  const pkg: UpgradePackage = { name: manifest.name, product: manifest.product, scripts, verifications };
  validatePackage(pkg);
  return pkg;
}

function readJson<T>(path: string, folder: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DeliveryError(DeliveryFailureType.InvalidPackage, `Package folder "${basename(folder)}" has no ${basename(path)}.`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DeliveryError(
      DeliveryFailureType.InvalidPackage,
      `${basename(path)} of package folder "${basename(folder)}" is not valid JSON: ${(e as Error).message}`,
    );
  }
}

/** The first top-level transaction-control statement of a script, if any. */
function transactionControlStatement(sql: string): string | undefined {
  for (const stmt of splitStatements(sql)) {
    const m = /^\s*(begin(?!\s+atomic)\b|commit\b|rollback\b|start\s+transaction\b|savepoint\b|release\b)/i.exec(stmt);
    if (m) return m[1]!.toUpperCase();
    // PL/pgSQL bodies are dollar-quoted and stripped; `CREATE INDEX CONCURRENTLY` cannot run in a transaction.
    if (/^\s*create\s+(unique\s+)?index\s+concurrently\b/i.test(stmt)) return 'CREATE INDEX CONCURRENTLY';
  }
  return undefined;
}
