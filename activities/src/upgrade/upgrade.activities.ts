import { activityInfo, Context } from '@temporalio/activity';
import {
  assertCanCloneDatabase,
  cloneToScratch,
  dropScratchDatabase,
  pgConnection,
  ScratchPrefix,
  scratchName,
  TargetConnection,
  withClient,
} from '@sdo/pg-kit';
import { DeliveryError, DeliveryFailureType, PhaseReportRef, UpgradeActivities, UpgradeTarget } from '@sdo/contracts';
import type { EnvironmentDirectory, ReportStore, UpgradePackageStore } from '@sdo/persistence';
import { assessmentFailure, savePlanReport } from '../phase-reports';
import { heartbeat, keepAlive } from '../keep-alive';
import {
  applyPending,
  assertVerificationsPassed,
  assertReadOnlyVerifications,
  assessTarget,
  checksum,
  readCurrentVersion,
  runVerifications,
  ScriptEvent,
  UpgradeAssessmentReport,
  UpgradePackage,
  verificationChecksum,
  VerificationResult,
} from '@sdo/upgrade-kit';

export interface UpgradeDeps {
  environments: Pick<EnvironmentDirectory, 'connectionFor'>;
  packages: Pick<UpgradePackageStore, 'get'>;
  reports: Pick<ReportStore, 'save' | 'get'>;
}

const BACKUP_METHOD = 'Full copy of the target database (CREATE DATABASE … TEMPLATE) taken at the start of the cutover window, after disconnecting sessions';

/** The cutover backup, its restore and its discarding are the shared safety steps (activities/src/safety). */
export type OwnUpgradeActivities = Omit<UpgradeActivities, 'backupTarget' | 'restoreTarget' | 'discardBackup'>;

export function createUpgradeActivities({ environments, packages, reports }: UpgradeDeps): OwnUpgradeActivities {
  async function targetOf(upgrade: UpgradeTarget): Promise<TargetConnection> {
    return pgConnection(await environments.connectionFor(upgrade.targetEnvironmentId), 'target', upgrade.targetEnvironmentId);
  }

  /**
   * The registered package, with its stored checksums re-checked so a tampered row cannot slip
   * through, and its verifications vetted again (a package registered before they were vetted).
   */
  async function packageOf(target: UpgradeTarget): Promise<UpgradePackage> {
    const stored = await packages.get(target.packageId);
    for (const script of stored.scripts) {
      if (checksum(script.sql) !== script.checksum) {
        throw new DeliveryError(
          DeliveryFailureType.InvalidPackage,
          `Script ${script.version} of package ${stored.name} no longer matches the checksum it was registered with; register the package again.`,
        );
      }
    }
    const verifications = stored.verifications.map(({ name, sql, expect }) => ({ name, sql, expect }));
    for (const [i, v] of stored.verifications.entries()) {
      if (v.checksum !== undefined && verificationChecksum(verifications[i]!) !== v.checksum) {
        throw new DeliveryError(
          DeliveryFailureType.InvalidPackage,
          `Verification "${v.name}" of package ${stored.name} no longer matches the checksum it was registered with; register the package again.`,
        );
      }
    }
    const pkg: UpgradePackage = {
      name: stored.name,
      product: stored.product,
      scripts: stored.scripts.map(({ version, description, sql }) => ({ version, description, sql })),
      verifications,
    };
    await assertReadOnlyVerifications(pkg);
    return pkg;
  }

  async function reportBody<T>(reportId: string): Promise<T> {
    const report = await reports.get(reportId);
    if (!report) throw new DeliveryError(DeliveryFailureType.MissingObject, `Report ${reportId} does not exist.`);
    return report.body as T;
  }

  /** Applies pending scripts, heartbeating each one. */
  async function applyWithHeartbeats(conn: TargetConnection, pkg: UpgradePackage, deliveryId: string) {
    const ctx = Context.current();
    return applyPending(conn, pkg, {
      installedBy: `sdo:${deliveryId}`,
      // Cancellation reaches us through heartbeats; the kit then cancels the running script server-side.
      signal: ctx.cancellationSignal,
      onScript: (event: ScriptEvent) => {
        heartbeat({ script: event.version, kind: event.kind, done: event.kind === 'applied' ? event.index + 1 : event.index, total: event.total });
      },
    });
  }

  return {
    async assessUpgrade(upgrade) {
      const conn = await targetOf(upgrade);
      const pkg = await packageOf(upgrade);
      // A missing privilege is a finding of the assessment, listed in its report with the others.
      const privilege = await assertCanCloneDatabase(conn).then(
        () => undefined,
        (err: unknown) => {
          if (err instanceof DeliveryError && err.type === DeliveryFailureType.InsufficientPrivileges) return err.message;
          throw err;
        },
      );
      const assessment = await keepAlive('assessing the target', () => assessTarget(conn, pkg));
      const summary = privilege
        ? `The upgrade cannot be rehearsed with this target's account: ${privilege}`
        : assessment.problems.length
          ? `Package ${pkg.name} cannot be applied: ${assessment.problems.map((p) => p.message).join('; ')}`
          : `Version ${assessment.currentVersion ?? 'none'} → ${assessment.targetVersion}: ${assessment.pending.length} script(s) pending, ${assessment.collisions.length} customisation collision(s), estimated ${Math.ceil(assessment.estimate.totalSeconds / 60)} min`;
      const body = { ...assessment, missingPrivileges: privilege ? [privilege] : [] };
      const saved = await reports.save({ deliveryId: upgrade.deliveryId, kind: 'assessment', summary, body: body as unknown as Record<string, unknown> });
      if (privilege) throw assessmentFailure(DeliveryFailureType.InsufficientPrivileges, `${summary} See assessment report ${saved.reportId}.`, saved);
      if (assessment.problems.length) {
        throw assessmentFailure(DeliveryFailureType.InvalidPackage, `${summary}. See assessment report ${saved.reportId}.`, saved);
      }
      return {
        ...saved,
        currentVersion: assessment.currentVersion,
        targetVersion: assessment.targetVersion,
        pendingScripts: assessment.pending.length,
        collisions: assessment.collisions.length,
        estimatedMinutes: Math.ceil(assessment.estimate.totalSeconds / 60),
      };
    },

    async draftUpgradePlan(request) {
      // Re-read the target: a rejection is often answered by changing it (e.g. removing a colliding customisation).
      const assessment = await assessTarget(await targetOf(request), await packageOf(request));
      const downtimeMinutes = Math.ceil(assessment.estimate.totalSeconds / 60);
      const summary = `Revision ${request.revision}: apply ${assessment.pending.map((s) => s.version).join(', ') || 'nothing (already applied)'} to reach ${assessment.targetVersion}; downtime ≈ ${downtimeMinutes} min${assessment.collisions.length ? `; ${assessment.collisions.length} collision(s) to resolve` : ''}`;
      const saved = await savePlanReport(reports, request, summary, {
        package: assessment.package,
        versionBefore: assessment.currentVersion,
        versionAfter: assessment.targetVersion,
        scripts: assessment.pending,
        risks: assessment.collisions,
        backupMethod: BACKUP_METHOD,
        rollback: 'Restore the target from the cutover backup (automatic when cutover fails)',
        estimate: assessment.estimate,
        estimatedDowntimeMinutes: downtimeMinutes,
      });
      return { ...saved, revision: request.revision, scripts: assessment.pending.length, estimatedDowntimeMinutes: downtimeMinutes };
    },

    async rehearseUpgrade(upgrade) {
      const conn = await targetOf(upgrade);
      const pkg = await packageOf(upgrade);
      // Same name on every retry of this activity, so a crashed attempt's clone is replaced, not leaked.
      const rehearsalDb = scratchName(ScratchPrefix.rehearsal, upgrade.deliveryId, activityInfo().activityId);
      const rehearsal: TargetConnection = { ...conn, database: rehearsalDb };
      // A target in use (sessions open) is copied online: nobody is disconnected before the cutover window.
      const cloneMethod = await keepAlive('cloning the target for the rehearsal', () => cloneToScratch(conn, rehearsalDb));
      let failure: string | undefined;
      let applied: Awaited<ReturnType<typeof applyWithHeartbeats>> | undefined;
      let verifications: VerificationResult[] = [];
      try {
        applied = await applyWithHeartbeats(rehearsal, pkg, upgrade.deliveryId);
        verifications = await runVerifications(rehearsal, pkg);
        const failed = verifications.filter((v) => !v.passed);
        if (failed.length) failure = `verification failed: ${failed.map((f) => `${f.name} (${f.detail})`).join('; ')}`;
      } catch (err) {
        if (!(err instanceof DeliveryError) || err.type !== DeliveryFailureType.ScriptFailed) throw err;
        failure = err.message;
      } finally {
        await dropScratchDatabase(conn, rehearsalDb);
      }
      const passed = failure === undefined;
      const summary = passed
        ? `Rehearsal passed on a fresh clone (${cloneMethod === 'online-copy' ? 'copied online: the target was in use' : 'database template'}): ${applied?.applied.length ?? 0} script(s) in ${applied?.totalTimeMs ?? 0} ms, ${verifications.length} verification(s) passed`
        : `Rehearsal failed: ${failure}`;
      const saved = await reports.save({
        deliveryId: upgrade.deliveryId,
        kind: 'rehearsal',
        summary,
        body: {
          planReportId: upgrade.planReportId,
          passed,
          cloneMethod,
          failure: failure ?? null,
          scripts: applied?.applied ?? [],
          totalTimeMs: applied?.totalTimeMs ?? null,
          verifications,
        },
      });
      return { ...saved, passed, failure };
    },

    async applyUpgrade(target) {
      const conn = await targetOf(target);
      const pkg = await packageOf(target);
      const started = new Date().toISOString();
      try {
        const applied = await applyWithHeartbeats(conn, pkg, target.deliveryId);
        const verifications = await runVerifications(conn, pkg);
        const body = { planReportId: target.planReportId, started, ...applied, verifications };
        try {
          assertVerificationsPassed(verifications);
        } catch (err) {
          await reports.save({
            deliveryId: target.deliveryId,
            kind: 'cutover',
            summary: `Cutover failed verification: ${(err as Error).message}`,
            body: { ...body, passed: false },
          });
          throw err;
        }
        return reports.save({
          deliveryId: target.deliveryId,
          kind: 'cutover',
          summary: `Upgraded ${applied.versionBefore ?? 'none'} → ${applied.versionAfter}: ${applied.applied.length} script(s) in ${applied.totalTimeMs} ms, ${verifications.length} verification(s) passed`,
          body: { ...body, passed: true },
        });
      } catch (err) {
        if (err instanceof DeliveryError && err.type === DeliveryFailureType.ScriptFailed) {
          await reports.save({
            deliveryId: target.deliveryId,
            kind: 'cutover',
            summary: `Cutover failed: ${err.message}`,
            body: { planReportId: target.planReportId, started, passed: false, failure: err.message },
          });
        }
        throw err;
      }
    },

    async reportUpgradeAcceptance(target): Promise<PhaseReportRef> {
      const conn = await targetOf(target);
      const versionNow = await withClient(conn, (client) => readCurrentVersion(client));
      const phases = await Promise.all(target.reportIds.map(async (id) => ({ id, report: await reports.get(id) })));
      const assessment = phases.find((p) => p.report?.kind === 'assessment');
      const before = assessment ? (await reportBody<UpgradeAssessmentReport>(assessment.id)).currentVersion : null;
      const cutover = [...phases].reverse().find((p) => p.report?.kind === 'cutover');
      const cutoverBody = cutover ? await reportBody<Record<string, unknown>>(cutover.id) : {};
      return reports.save({
        deliveryId: target.deliveryId,
        kind: 'acceptance',
        summary: `Target upgraded from ${before ?? 'none'} to ${versionNow ?? 'none'}; awaiting the customer's sign-off`,
        body: {
          versionBefore: before,
          versionAfter: versionNow,
          verifications: cutoverBody['verifications'] ?? [],
          scripts: cutoverBody['applied'] ?? [],
          timeline: phases.map((p) => ({ kind: p.report?.kind, summary: p.report?.summary, at: p.report?.createdAt })),
        },
      });
    },
  };
}
