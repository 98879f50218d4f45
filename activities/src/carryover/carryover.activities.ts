import { Context } from '@temporalio/activity';
import { CarryoverActivities, CarryoverRequest, CarryoverStepRequest, DeliveryError, DeliveryFailureType, PhaseReportRef } from '@sdo/contracts';
import type { EnvironmentDirectory, ReportStore } from '@sdo/persistence';
import {
  cloneToScratch,
  createScratchDatabase,
  isScratchName,
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
import { assessmentFailure, savePlanReport } from '../phase-reports';
import { heartbeat, keepAlive } from '../keep-alive';
import {
  archiveHistory,
  carryBalancesForward,
  CarryoverSpec,
  countHistorical,
  dropArchiveSchema,
  finishCarryover,
  historical,
  purgeHistory,
  resolveSpec,
  runStatus,
} from '@sdo/carryover';

export interface CarryoverDeps {
  environments: Pick<EnvironmentDirectory, 'connectionFor'>;
  reports: Pick<ReportStore, 'save' | 'get'>;
}

/** The live database's backup, its restore and discarding, and dropping the rehearsal databases are the shared safety steps (activities/src/safety). */
export type OwnCarryoverActivities = Omit<CarryoverActivities, 'dropCarryoverRehearsal' | 'backupLive' | 'restoreLive' | 'discardLiveBackup'>;

export function createCarryoverActivities({ environments, reports }: CarryoverDeps): OwnCarryoverActivities {
  const conns = async (request: CarryoverRequest) => ({
    live: pgConnection(await environments.connectionFor(request.liveEnvironmentId), 'source (live)', request.liveEnvironmentId),
    archive: pgConnection(await environments.connectionFor(request.archiveEnvironmentId), 'target (archive)', request.archiveEnvironmentId),
  });

  /** The carryover as the live schema and the parameters define it, with what does not fit named. */
  async function specFor(request: CarryoverRequest, live: TargetConnection, checkReferences: boolean) {
    return withClient(live, async (c) => {
      const schema = await readSchema(c, request.parameters.schema ?? 'public');
      const { spec, problems } = resolveSpec(schema, request.parameters);
      const status = spec && !problems.length ? await runStatus(c, spec.cutoff) : null;
      let counts: Record<string, number> = {};
      if (spec && !problems.length && status !== 'done') {
        counts = await countHistorical(c, spec, status !== null);
        if (checkReferences) {
          for (const { table, fk } of spec.inbound) {
            const n = Number(
              (
                await c.query(
                  `SELECT count(*) AS n FROM ${qq(spec.schema, table)} x WHERE EXISTS (SELECT 1 FROM ${qq(spec.schema, fk.refTable!)} t WHERE ${fk.columns.map((col, i) => `t.${q(fk.refColumns[i]!)} = x.${q(col)}`).join(' AND ')} AND ${historical(spec, fk.refTable!, 't', false)})`,
                )
              ).rows[0].n,
            );
            if (n)
              problems.push(
                `${n} row(s) of ${table}, which stays live, reference historical ${fk.refTable} rows through ${fk.name}; declare ${table} in parameters.tables or choose an earlier cut-off.`,
              );
          }
        }
      }
      return { spec, problems, counts, done: status === 'done' };
    });
  }

  async function mustSpec(request: CarryoverRequest, live: TargetConnection): Promise<CarryoverSpec> {
    const { spec, problems } = await specFor(request, live, false);
    if (!spec || problems.length)
      throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The carryover no longer fits the live database: ${problems.join(' ')}`);
    return spec;
  }

  /** The databases a step works on: live and archive, or a rehearsal's clone and scratch archive. */
  async function stepConns(step: CarryoverStepRequest) {
    const { live, archive } = await conns(step);
    if (!step.rehearsal) return { live, archive };
    const { liveDatabase, archiveDatabase } = step.rehearsal;
    if (!isScratchName(ScratchPrefix.rehearsal, liveDatabase) || !isScratchName(ScratchPrefix.rehearsalArchive, archiveDatabase)) {
      throw new DeliveryError(DeliveryFailureType.InvalidParameters, 'Rehearsal steps only run on rehearsal databases.');
    }
    return { live: { ...live, database: liveDatabase }, archive: { ...archive, database: archiveDatabase } };
  }

  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

  return {
    async assessCarryover(request) {
      const { live, archive } = await conns(request);
      const { spec, problems, counts, done } = await specFor(request, live, true);
      await withClient(archive, (c) => c.query('SELECT 1')); // reachable, credentials valid
      const p = await readClonePrivileges(live);
      if (!p.canCreateDatabases || (!p.ownsDatabase && !p.isSuperuser)) {
        problems.push(
          `environments.source: the live database's user must be able to copy it (CREATEDB and owner) for the rehearsal clone and the cutover backup.`,
        );
      }
      const rows = sum(counts);
      const summary = problems.length
        ? `Carryover before ${request.parameters.cutoffPeriod} cannot be done as asked: ${problems.join(' ')}`
        : done
          ? `Period ${request.parameters.cutoffPeriod} is already carried over in the live database: nothing to do`
          : `Carry ${rows} historical row(s) dated before ${spec!.cutoff} out of ${spec!.tables.length} tables into archive schema ${spec!.archiveSchema}${spec!.ledger ? `; ledger balances carried forward in ${spec!.ledger.voucherTable}` : ''}`;
      const saved = await reports.save({
        deliveryId: request.deliveryId,
        kind: 'assessment',
        summary,
        body: {
          parameters: request.parameters,
          problems,
          alreadyCarriedOver: done,
          tables:
            spec?.tables.map((t) => ({
              table: t.table,
              dateColumn: t.dateColumn ?? null,
              movesWith: t.via?.map((f) => f.refTable) ?? null,
              rows: counts[t.table] ?? null,
            })) ?? [],
          rowsToCarry: rows,
        },
      });
      if (problems.length) throw assessmentFailure(DeliveryFailureType.InvalidParameters, `${summary} See assessment report ${saved.reportId}.`, saved);
      return { ...saved, rowsToCarry: rows, alreadyCarriedOver: done };
    },

    async draftCarryoverPlan(request) {
      const { live } = await conns(request);
      const { spec, problems, counts, done } = await specFor(request, live, true);
      if (!spec) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The carryover no longer fits the live database: ${problems.join(' ')}`);
      const blockers = problems.length ? `; blocked until corrected: ${problems.join(' ')}` : '';
      const summary = done
        ? `Revision ${request.revision}: period ${spec.cutoff} is already carried over; the run will change nothing`
        : `Revision ${request.revision}: archive ${sum(counts)} row(s) dated before ${spec.cutoff} into ${spec.archiveSchema}, verify, carry balances forward, purge in batches of ${spec.batchSize}${blockers}`;
      const saved = await savePlanReport(reports, request, summary, {
        blockers: problems,
        order: spec.tables.map((t) => ({
          table: t.table,
          dateColumn: t.dateColumn ?? null,
          movesWith: t.via?.map((f) => f.refTable) ?? null,
          rows: counts[t.table] ?? 0,
        })),
        steps: [
          'back up the live database (CREATE DATABASE … TEMPLATE) at the start of the window',
          `copy historical rows into archive schema ${spec.archiveSchema} (COPY streamed, one snapshot)`,
          'verify the archive: per table row count and checksum equal to the live rows',
          spec.ledger
            ? `record the trial balance from ${spec.cutoff} on; insert one opening-balance voucher per ${spec.ledger.partition.join(', ') || 'ledger'} dated the day before the cut-off`
            : 'no ledger declared: no balances to carry',
          `purge the historical rows from the live database in batches of ${spec.batchSize}, lines before documents`,
          'verify: no historical rows left, trial balance per account and period unchanged; record the cut-off as done (a re-run is a no-op)',
        ],
        rollback: 'Restore the live database from the cutover backup and drop the archive schema (automatic when cutover fails)',
      });
      return { ...saved, tables: [...spec.tables].reverse().map((t) => ({ table: t.table, rows: counts[t.table] ?? 0 })) };
    },

    async createCarryoverRehearsal(request) {
      const { live, archive } = await conns(request);
      const liveDatabase = scratchName(ScratchPrefix.rehearsal, request.deliveryId, `r${request.revision}`);
      const archiveDatabase = scratchName(ScratchPrefix.rehearsalArchive, request.deliveryId, `r${request.revision}`);
      await keepAlive('cloning the live database', () => cloneToScratch(live, liveDatabase));
      await createScratchDatabase(archive, archiveDatabase);
      return { liveDatabase, archiveDatabase };
    },

    async archiveHistory(step) {
      const { live, archive } = await stepConns(step);
      const spec = await mustSpec(step, live);
      return keepAlive('archiving and verifying', () => archiveHistory(live, archive, spec, step.deliveryId));
    },

    async carryBalancesForward(step) {
      const { live } = await stepConns(step);
      const spec = await mustSpec(step, live);
      return keepAlive('carrying balances forward', () => carryBalancesForward(live, spec));
    },

    async purgeHistory(step) {
      const { live } = await stepConns(step);
      const spec = await mustSpec(step, live);
      if (!spec.tables.some((t) => t.table === step.table))
        throw new DeliveryError(DeliveryFailureType.SchemaDrift, `Table ${step.table} is no longer part of the carryover.`);
      const ctx = Context.current();
      return purgeHistory(live, spec, step.table, (p) => heartbeat(p), ctx.cancellationSignal);
    },

    async finishCarryover(step) {
      const { live } = await stepConns(step);
      const spec = await mustSpec(step, live);
      return keepAlive('verifying the trial balance', () => finishCarryover(live, spec, step.archived, step.purged));
    },

    async reportCarryoverRehearsal(request) {
      const run = request.run;
      const rows = run ? sum(run.archive.archived) : 0;
      const summary =
        request.passed && run
          ? run.archive.noop
            ? `Rehearsal passed: period ${request.parameters.cutoffPeriod} was already carried over, nothing changes`
            : `Rehearsal passed on a clone: ${rows} row(s) archived and verified in ${run.timings.archiveMs} ms, ${run.openingVouchers} opening voucher(s), purged in ${run.timings.purgeMs} ms, trial balance unchanged (${run.trialBalance?.lines ?? 0} lines); a second run was a no-op`
          : `Rehearsal failed: ${request.failure ?? 'see the report'}`;
      const saved = await reports.save({
        deliveryId: request.deliveryId,
        kind: 'rehearsal',
        summary,
        body: {
          planReportId: request.planReportId,
          passed: request.passed,
          failure: request.failure ?? null,
          run: run ?? null,
          rerunNoop: request.rerunNoop ?? null,
        },
      });
      return { ...saved, passed: request.passed, failure: request.failure };
    },

    async reportCarryoverCutover(request): Promise<PhaseReportRef> {
      const run = request.run;
      return reports.save({
        deliveryId: request.deliveryId,
        kind: 'cutover',
        summary: run.archive.noop
          ? `Period ${request.parameters.cutoffPeriod} was already carried over: nothing changed`
          : `Carried ${sum(run.archive.archived)} row(s) before ${request.parameters.cutoffPeriod} into the archive (verified), ${run.openingVouchers} opening voucher(s), ${sum(run.purged)} row(s) purged; trial balance unchanged over ${run.trialBalance?.lines ?? 0} lines`,
        body: { planReportId: request.planReportId, passed: true, ...run },
      });
    },

    async dropArchivedPeriod(request) {
      const { archive } = await conns(request);
      await dropArchiveSchema(
        archive,
        { archiveSchema: `carryover_${request.parameters.cutoffPeriod.replace('-', '_')}`, cutoff: request.parameters.cutoffPeriod },
        request.deliveryId,
      );
    },

    async reportCarryoverAcceptance(request) {
      const phases = await Promise.all(request.reportIds.map(async (id) => ({ id, report: await reports.get(id) })));
      const cutover = [...phases].reverse().find((p) => p.report?.kind === 'cutover');
      const body = (cutover?.report?.body ?? {}) as Record<string, unknown>;
      const archive = (body['archive'] ?? {}) as Record<string, unknown>;
      return reports.save({
        deliveryId: request.deliveryId,
        kind: 'acceptance',
        summary: `Period before ${request.parameters.cutoffPeriod} carried over: ${cutover?.report?.summary ?? 'no cutover report'}; awaiting the customer's sign-off`,
        body: {
          archived: archive['archived'] ?? null,
          purged: body['purged'] ?? null,
          trialBalance: body['trialBalance'] ?? null,
          archiveVerification: archive['verification'] ?? null,
          timeline: phases.map((p) => ({ kind: p.report?.kind, summary: p.report?.summary, at: p.report?.createdAt })),
        },
      });
    },
  };
}
