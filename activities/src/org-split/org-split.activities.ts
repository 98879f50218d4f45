import { Context } from '@temporalio/activity';
import { assessmentFailure, dependentsConfirmation, savePlanReport } from '../phase-reports';
import { DeliveryError, DeliveryFailureType, OrgSplitActivities, OrgSplitRequest, PhaseReportRef, SplitStepRequest, SplitTableCopy } from '@sdo/contracts';
import type { EnvironmentDirectory, ReportStore } from '@sdo/persistence';
import {
  connect,
  createScratchDatabase,
  isScratchName,
  objectsBeyondTables,
  pgConnection,
  readClonePrivileges,
  ScratchPrefix,
  scratchName,
  quoteIdent as q,
  quoteQualified as qq,
  readSchema,
  TargetConnection,
  withClient,
} from '@sdo/pg-kit';
import {
  copyTables,
  describeDangling,
  dropControlSchema,
  dropExtracted,
  finalizeSplit,
  materialiseSelection,
  planSplit,
  prepareTarget,
  removeOrganisationFromSource,
  type RemovalCheckpoint,
  type RemovalOptions,
  type RemovalProgress,
  SplitPlan,
  verifySplit,
} from '@sdo/org-split';
import { heartbeat, keepAlive } from '../keep-alive';

export interface OrgSplitDeps {
  environments: Pick<EnvironmentDirectory, 'connectionFor'>;
  reports: Pick<ReportStore, 'save' | 'get'>;
}

/** Rows per second assumed for the estimate before anything was measured (PG→PG COPY, one stream). */
const ASSUMED_ROWS_PER_SECOND = 50_000;

/** The source's backup, its restore and discarding, and dropping the rehearsal database are the shared safety steps (activities/src/safety). */
export type OwnOrgSplitActivities = Omit<OrgSplitActivities, 'dropRehearsalDatabase' | 'backupSplitSource' | 'restoreSplitSource' | 'discardSplitSourceBackup'>;

/**
 * The removal with its checkpoint in the heartbeats: a retried attempt resumes from what the last
 * one measured and deleted. Until the first measurement the previous attempt's details stand (the
 * silent beats of `withHeartbeats` repeat them); then the progress beats on every batch and every 5 s.
 */
async function removeWithHeartbeats(source: TargetConnection, plan: SplitPlan, copies: SplitTableCopy[], options: RemovalOptions = {}) {
  const ctx = Context.current();
  const resumeFrom = (ctx.info.heartbeatDetails as { checkpoint?: RemovalCheckpoint } | undefined)?.checkpoint;
  let timer: ReturnType<typeof setInterval> | undefined;
  const started = Date.now();
  const onProgress = (progress: RemovalProgress) => {
    heartbeat(progress);
    timer ??= setInterval(() => heartbeat({ checkpoint: progress.checkpoint, elapsedMs: Date.now() - started }), 5_000);
  };
  try {
    return await removeOrganisationFromSource(source, plan, copies, { ...options, resumeFrom, onProgress, signal: ctx.cancellationSignal });
  } finally {
    clearInterval(timer);
  }
}

export function createOrgSplitActivities({ environments, reports }: OrgSplitDeps): OwnOrgSplitActivities {
  const conns = async (request: OrgSplitRequest) => ({
    source: pgConnection(await environments.connectionFor(request.sourceEnvironmentId), 'source', request.sourceEnvironmentId),
    target: pgConnection(await environments.connectionFor(request.targetEnvironmentId), 'target', request.targetEnvironmentId),
  });
  const schemaOf = (request: OrgSplitRequest) => request.parameters.schema ?? 'public';

  /** The split as the source's current schema and the parameters define it; problems name what does not fit. */
  async function planFor(request: OrgSplitRequest, source: TargetConnection, checkSelection = true) {
    return withClient(source, async (c) => {
      const schema = await readSchema(c, schemaOf(request));
      if (!schema.tables.length)
        return {
          plan: undefined,
          problems: [`parameters.schema: schema "${schemaOf(request)}" of the source holds no tables.`],
          counts: {} as Record<string, number>,
        };
      const { plan, problems } = planSplit(schema, request.parameters);
      if (problems.length) return { plan, problems, counts: {} as Record<string, number> };
      const orgKey = plan.tables.find((t) => t.role === 'organisation')!.key[0]!;
      const found = await c.query<{ k: string }>(
        `SELECT ${q(orgKey)}::text AS k FROM ${qq(plan.schema, plan.organisationTable)} WHERE ${q(orgKey)}::text = ANY($1::text[])`,
        [plan.organisations],
      );
      const missing = plan.organisations.filter((o) => !found.rows.some((row) => row.k === o));
      if (missing.length) problems.push(`parameters.organisations: ${missing.join(', ')} not found in ${plan.organisationTable}.${orgKey}.`);
      // At cutover the validated foreign keys in the target are the authority; no need to select twice.
      if (!checkSelection) return { plan, problems, counts: {} as Record<string, number> };
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      const selection = await materialiseSelection(c, schema, plan);
      await c.query('COMMIT');
      problems.push(...selection.dangling.map(describeDangling));
      return { plan, problems, counts: selection.counts };
    });
  }

  /** Source and the database the step writes to: the target, or a rehearsal scratch database on its server. */
  async function stepConns(step: SplitStepRequest) {
    const { source, target } = await conns(step);
    if (step.scratchDatabase === undefined) return { source, target };
    if (!isScratchName(ScratchPrefix.rehearsal, step.scratchDatabase))
      throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${step.scratchDatabase} is not a rehearsal database.`);
    return { source, target: { ...target, database: step.scratchDatabase } };
  }

  /** Copies the tables in turn; a table already copied (its checkpoint is there) is skipped, so a retry resumes. */
  async function copySplitTables(step: SplitStepRequest & { tables: string[] }): Promise<SplitTableCopy[]> {
    const { source, target } = await stepConns(step);
    const plan = await mustPlan(step, source);
    const gone = step.tables.filter((table) => !plan.tables.some((t) => t.table === table));
    if (gone.length) throw new DeliveryError(DeliveryFailureType.SchemaDrift, `Table(s) ${gone.join(', ')} no longer part of the split.`);
    // Cancellation (reaching us through the heartbeats, or the worker shutting down) cancels the COPY on the servers.
    const { cancellationSignal } = Context.current();
    let current = { table: '', started: Date.now() };
    return keepAlive(
      () => ({ table: current.table, seconds: Math.round((Date.now() - current.started) / 1000) }),
      () => copyTables(source, target, plan, step.tables, { signal: cancellationSignal, onTable: (table) => (current = { table, started: Date.now() }) }),
    );
  }

  async function mustPlan(request: OrgSplitRequest, source: TargetConnection): Promise<SplitPlan> {
    const { plan, problems } = await planFor(request, source, false);
    if (!plan || problems.length)
      throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The org split no longer fits the source: ${problems.join(' ')}`);
    return plan;
  }

  return {
    async assessOrgSplit(request) {
      const { source, target } = await conns(request);
      const { plan, problems, counts } = await planFor(request, source);
      const targetState = await withClient(target, async (c) => {
        const tables = await c.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'S', 'v', 'm')`,
          [schemaOf(request)],
        );
        return { relations: Number(tables.rows[0]!.n) };
      });
      if (targetState.relations)
        problems.push(
          `environments.target: the target database already holds ${targetState.relations} relation(s) in schema ${schemaOf(request)}; an org split creates a new database, so give it an empty one.`,
        );
      const privileges = await readClonePrivileges(target);
      if (!privileges.canCreateDatabases)
        problems.push(`environments.target: the target's user cannot create databases, which the rehearsal's scratch database needs (ALTER ROLE … CREATEDB).`);
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      const summary = problems.length
        ? `Org split of ${request.parameters.organisations.join(', ')} cannot be done as asked: ${problems.join(' ')}`
        : `Organisation(s) ${request.parameters.organisations.join(', ')}: ${plan!.tables.length} tables, ${rows} row(s) to copy (${plan!.tables.filter((t) => t.role === 'scoped').length} organisation tables, ${plan!.tables.filter((t) => t.role === 'master').length} master-data tables by foreign-key closure); estimated ${Math.max(1, Math.ceil(rows / ASSUMED_ROWS_PER_SECOND))} s of copying`;
      const saved = await reports.save({
        deliveryId: request.deliveryId,
        kind: 'assessment',
        summary,
        body: {
          parameters: request.parameters,
          problems,
          tables: plan?.tables.map((t) => ({ ...t, rows: counts[t.table] ?? null })) ?? [],
          cycles: plan?.cycles ?? [],
          rowsToCopy: rows,
          targetRelations: targetState.relations,
        },
      });
      if (problems.length) throw assessmentFailure(DeliveryFailureType.InvalidParameters, `${summary} See assessment report ${saved.reportId}.`, saved);
      return { ...saved, tables: plan!.tables.length, rowsToCopy: rows };
    },

    async draftOrgSplitPlan(request) {
      const { source } = await conns(request);
      const { plan, problems, counts } = await planFor(request, source);
      if (!plan) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The org split no longer fits the source: ${problems.join(' ')}`);
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      // The split copies tables, keys, indexes and sequences: the schema's views, routines and triggers
      // are not created in the new database, so the manager confirms that loss when approving.
      const notCreated = (await withClient(source, (client) => objectsBeyondTables(client, schemaOf(request)))).map(
        (o) => `${o}: not created in the new database`,
      );
      const confirmationRequired = dependentsConfirmation(notCreated);
      // Data problems (e.g. rows pointing at another organisation) are the customer's to correct: the
      // plan names them and a rehearsal will fail until they are gone, but the delivery goes on.
      const blockers = problems.length ? `; blocked until corrected: ${problems.join(' ')}` : '';
      const summary = `Revision ${request.revision}: copy ${rows} row(s) of ${plan.tables.length} tables for organisation(s) ${plan.organisations.join(', ')} into the new database; foreign keys added and validated after the copy${request.parameters.removeFromSource ? "; then, with a backup, the organisation's own rows are removed from the source and the source verified" : ''}${blockers}`;
      const saved = await savePlanReport(
        reports,
        request,
        `${summary}${notCreated.length ? `; ${notCreated.length} view/routine/trigger object(s) NOT created (confirmDependents)` : ''}`,
        {
          blockers: problems,
          dependents: notCreated,
          order: plan.tables.map((t) => ({
            table: t.table,
            role: t.role,
            organisationColumn: t.organisationColumn ?? null,
            via: t.via ?? null,
            rows: counts[t.table],
          })),
          method:
            'Per table: COPY (SELECT chosen rows) TO STDOUT from one REPEATABLE READ snapshot of the source, streamed into COPY … FROM STDIN in the target; table and checkpoint commit together, a retry skips finished tables',
          verification: [
            'per-table row count and checksum equal to the chosen source rows',
            'organisation tables: count equals WHERE org = X on the source, no other organisation’s rows',
            'every foreign key created and validated',
          ],
          sourceRemoval: request.parameters.removeFromSource
            ? 'After the new database is verified: back up the source database, delete the organisation row, its organisation-column rows and their document lines (children first, in batches; shared master data stays), then check the source: no rows of the organisation left, every other row kept, every foreign key holds. The backup is dropped after acceptance. ' +
              `The rehearsal runs the same removal on the live source in one transaction and rolls it back (the organisation's rows stay locked while it runs, a lock held by a user is waited for 10 s and then retried), so a trigger, privilege or foreign key that would stop it fails the rehearsal, not the cutover.`
            : null,
          rollback: request.parameters.removeFromSource
            ? 'Restore the source from its cutover backup, and drop every table, sequence and schema the extraction created in the target (automatic when cutover fails)'
            : 'Drop every table, sequence and schema the extraction created in the target (automatic when cutover fails)',
          estimatedSeconds: Math.max(1, Math.ceil(rows / ASSUMED_ROWS_PER_SECOND)),
        },
      );
      return {
        ...saved,
        tables: plan.tables.map((t) => ({ table: t.table, rows: counts[t.table] ?? 0 })),
        ...(confirmationRequired ? { confirmationRequired } : {}),
      };
    },

    async createRehearsalDatabase(request) {
      const { target } = await conns(request);
      const scratchDatabase = scratchName(ScratchPrefix.rehearsal, request.deliveryId, `r${request.revision}`);
      await createScratchDatabase(target, scratchDatabase);
      return { scratchDatabase };
    },

    async prepareSplitTarget(step) {
      const { source, target } = await stepConns(step);
      const plan = await mustPlan(step, source);
      return keepAlive('creating tables', () => prepareTarget(source, target, plan));
    },

    async copySplitTable(step) {
      return (await copySplitTables({ ...step, tables: [step.table] }))[0]!;
    },

    copySplitTables,

    async finalizeSplitTarget(step) {
      const { source, target } = await stepConns(step);
      const plan = await mustPlan(step, source);
      return keepAlive('keys and foreign keys', () => finalizeSplit(source, target, plan));
    },

    async verifySplitTarget(step) {
      const { source, target } = await stepConns(step);
      const plan = await mustPlan(step, source);
      return keepAlive('verifying', () => verifySplit(source, target, plan));
    },

    async reportOrgSplitRehearsal(request) {
      const x = request.extraction;
      const rows = x?.copies.reduce((n, c) => n + c.rows, 0) ?? 0;
      const removal = request.removal
        ? `; removal from the source rehearsed and rolled back: ${request.removal.removedRows} row(s) in ${request.removal.ms} ms, ${request.removal.foreignKeysChecked} foreign keys hold`
        : '';
      const summary =
        request.passed && x
          ? `Rehearsal passed in a scratch database: ${rows} row(s) of ${x.copies.length} tables copied in ${x.timings.copyMs} ms (+${x.timings.prepareMs} ms tables, ${x.timings.finalizeMs} ms keys), verified in ${x.timings.verifyMs} ms${removal}`
          : `Rehearsal failed: ${request.failure ?? 'see the report'}`;
      const saved = await reports.save({
        deliveryId: request.deliveryId,
        kind: 'rehearsal',
        summary,
        body: {
          planReportId: request.planReportId,
          passed: request.passed,
          failure: request.failure ?? null,
          ...(x ?? {}),
          ...(request.removal ? { removalRehearsal: request.removal } : {}),
        },
      });
      return { ...saved, passed: request.passed, failure: request.failure };
    },

    async reportOrgSplitCutover(request): Promise<PhaseReportRef> {
      const x = request.extraction;
      const rows = x.copies.reduce((n, c) => n + c.rows, 0);
      const body = {
        planReportId: request.planReportId,
        passed: x.verification.passed,
        ...x,
        ...(request.removal ? { removal: request.removal, sourceBackup: request.sourceBackup ?? null } : {}),
      };
      const removed = request.removal
        ? `; removed ${request.removal.removedRows} row(s) of the organisation from the source (backup ${request.sourceBackup}), source verified: none left, other organisations' rows and master data kept, ${request.removal.foreignKeysChecked} foreign keys hold`
        : '';
      if (!x.verification.passed) {
        await reports.save({
          deliveryId: request.deliveryId,
          kind: 'cutover',
          summary: `Cutover failed verification: ${x.verification.failures.join('; ')}`,
          body,
        });
        throw new DeliveryError(DeliveryFailureType.VerificationFailed, `The new database does not match the source: ${x.verification.failures.join('; ')}`);
      }
      return reports.save({
        deliveryId: request.deliveryId,
        kind: 'cutover',
        summary: `Organisation(s) ${request.parameters.organisations.join(', ')} split into the new database: ${rows} row(s) in ${x.copies.length} tables, ${x.verification.foreignKeys.validated} foreign keys validated, no other organisation's rows${removed}`,
        body,
      });
    },

    async removeOrganisationFromSource(request) {
      const { source } = await conns(request);
      const plan = await mustPlan(request, source);
      return removeWithHeartbeats(source, plan, request.copies);
    },

    async rehearseSourceRemoval(request) {
      const { source } = await conns(request);
      const plan = await mustPlan(request, source);
      return removeWithHeartbeats(source, plan, request.copies, { rehearse: true });
    },

    async dropExtractedObjects(request) {
      const { target } = await conns(request);
      await dropExtracted(target);
    },

    async finishOrgSplit(request) {
      const { target } = await conns(request);
      await dropControlSchema(target);
    },

    async reportOrgSplitAcceptance(request) {
      const phases = await Promise.all(request.reportIds.map(async (id) => ({ id, report: await reports.get(id) })));
      const cutover = [...phases].reverse().find((p) => p.report?.kind === 'cutover');
      const body = (cutover?.report?.body ?? {}) as { verification?: { tables: unknown[]; foreignKeys: unknown } };
      const { target } = await conns(request);
      const c = await connect(target);
      try {
        const tables = await c.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
          [schemaOf(request)],
        );
        return reports.save({
          deliveryId: request.deliveryId,
          kind: 'acceptance',
          summary: `The new database of organisation(s) ${request.parameters.organisations.join(', ')} holds ${tables.rows[0]!.n} tables, verified at cutover; awaiting the customer's sign-off`,
          body: {
            verification: body.verification ?? null,
            timeline: phases.map((p) => ({ kind: p.report?.kind, summary: p.report?.summary, at: p.report?.createdAt })),
          },
        });
      } finally {
        await c.end().catch(() => undefined);
      }
    },
  };
}
