import { TargetConnection, withClient } from '@sdo/pg-kit';
import { Collision, detectCollisions } from './collisions';
import { HistoryRow } from './history';
import { UpgradePackage, checksum, targetVersion } from './package';
import { DatabaseSizing, DurationEstimate, estimateDuration, sizeDatabase } from './sizing';
import { ValidationProblem, checkAgainstTarget } from './validation';

export interface PendingScript {
  version: string;
  description: string;
  checksum: string;
}

/** Everything the assessment phase reports about a target and a package; changes nothing. */
export interface UpgradeAssessmentReport {
  package: string;
  product: string;
  currentVersion: string | null;
  targetVersion: string;
  history: HistoryRow[];
  pending: PendingScript[];
  /** Non-empty: the package cannot be applied as it is (see `assertApplicable`). */
  problems: ValidationProblem[];
  collisions: Collision[];
  sizing: Omit<DatabaseSizing, 'tables'>;
  estimate: DurationEstimate;
}

export async function assessTarget(conn: TargetConnection, pkg: UpgradePackage): Promise<UpgradeAssessmentReport> {
  return withClient(conn, async (client) => {
    const validation = await checkAgainstTarget(client, pkg);
    const collisions = await detectCollisions(client, pkg, validation);
    const { tables: _tables, ...sizing } = await sizeDatabase(client);
    const estimate = estimateDuration({ ...sizing, tables: _tables }, validation.pending, pkg.verifications.length);
    return {
      package: pkg.name,
      product: pkg.product,
      currentVersion: validation.currentVersion,
      targetVersion: targetVersion(pkg),
      history: validation.history,
      pending: validation.pending.map((s) => ({ version: s.version, description: s.description, checksum: checksum(s.sql) })),
      problems: validation.problems,
      collisions,
      sizing,
      estimate,
    };
  });
}
