import type { ClientBase } from 'pg';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { HistoryRow, currentVersionOf, readHistory } from './history';
import { UpgradePackage, UpgradeScript, checksum, compareVersions, packageProblems } from './package';

export type ValidationProblemCode = 'invalid-package' | 'failed-script' | 'checksum-mismatch' | 'applied-script-missing' | 'out-of-order';

export interface ValidationProblem {
  code: ValidationProblemCode;
  version?: string;
  message: string;
}

/** What the package would do to this target, and why it may not. */
export interface TargetValidation {
  history: HistoryRow[];
  currentVersion: string | null;
  /** Scripts of the package already recorded as applied. */
  applied: UpgradeScript[];
  /** Scripts still to apply, in order. */
  pending: UpgradeScript[];
  problems: ValidationProblem[];
}

/** Compares a package with a target's history, without changing anything. */
export function compareWithHistory(pkg: UpgradePackage, history: HistoryRow[]): TargetValidation {
  const problems: ValidationProblem[] = packageProblems(pkg).map((message) => ({ code: 'invalid-package', message }));
  const byVersion = new Map(pkg.scripts.map((s) => [normalise(s.version), s]));
  const appliedVersions = new Set<string>();
  const applied: UpgradeScript[] = [];

  for (const row of history) {
    if (!row.success) {
      problems.push({
        code: 'failed-script',
        version: row.version,
        message: `the target's schema history records a failed run of script ${row.version} (${row.description}) on ${row.installedOn.toISOString()}: restore the target from its backup or finish the script by hand and delete that history row, then retry`,
      });
      continue;
    }
    appliedVersions.add(normalise(row.version));
    const script = byVersion.get(normalise(row.version));
    if (!script) {
      problems.push({
        code: 'applied-script-missing',
        version: row.version,
        message: `script ${row.version} (${row.description}) is applied on the target but is not in package "${pkg.name}": use a package that contains the target's whole history`,
      });
    } else if (checksum(script.sql) !== row.checksum) {
      problems.push({
        code: 'checksum-mismatch',
        version: row.version,
        message: `script ${row.version} (${script.description}) was changed after it was applied to the target (checksum ${checksum(script.sql).slice(0, 12)}… in the package, ${row.checksum.slice(0, 12)}… applied): applied scripts must never be edited, put the change into a new script`,
      });
    } else {
      applied.push(script);
    }
  }

  const currentVersion = currentVersionOf(history);
  const pending = pkg.scripts.filter((s) => !appliedVersions.has(normalise(s.version)));
  if (currentVersion !== null) {
    for (const s of pending) {
      if (compareVersions(s.version, currentVersion) <= 0) {
        problems.push({
          code: 'out-of-order',
          version: s.version,
          message: `script ${s.version} (${s.description}) is not applied but the target is already at ${currentVersion}: scripts cannot be applied out of order, give the change a version above ${currentVersion}`,
        });
      }
    }
  }
  return { history, currentVersion, applied, pending, problems };
}

/** Reads the target's history and compares it with the package. */
export async function checkAgainstTarget(client: ClientBase, pkg: UpgradePackage): Promise<TargetValidation> {
  return compareWithHistory(pkg, await readHistory(client));
}

/** Throws `InvalidPackage` (naming every problem and version) when the package may not be applied. */
export function assertApplicable(pkg: UpgradePackage, validation: TargetValidation): void {
  if (validation.problems.length === 0) return;
  throw new DeliveryError(
    DeliveryFailureType.InvalidPackage,
    `Upgrade package "${pkg.name}" cannot be applied to this target: ${validation.problems.map((p) => p.message).join('; ')}.`,
    { package: pkg.name, problems: validation.problems },
  );
}

/** `2.0` and `2.0.0` are the same version. */
function normalise(version: string): string {
  return version
    .split('.')
    .map(Number)
    .join('.')
    .replace(/(\.0)+$/, '');
}
