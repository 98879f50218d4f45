import { activityInfo, Context } from '@temporalio/activity';
import { CarryoverActivities, CarryoverRequest, DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import type { EnvironmentDirectory, ReportStore } from '@sdo/persistence';
import { assertCanCloneDatabase, cloneDatabase, dropDatabase, readClonePrivileges, restoreFromBackup, TargetConnection, withClient } from '@sdo/upgrade-kit';
import { scratchName } from '../org-split/org-split.activities';
import { classifySqlError, pgConnection, q, qq, readSchema } from '../org-split/pg-catalog';
import { CarryoverSpec, historical, resolveSpec } from './carryover-spec';
import { CarryoverHooks, carryOverPeriod, countHistorical, dropArchiveSchema, runStatus } from './carryover-run';

export interface CarryoverDeps {
  environments: Pick<EnvironmentDirectory, 'connectionFor'>;
  reports: Pick<ReportStore, 'save' | 'get'>;
}

export function createCarryoverActivities({ environments, reports }: CarryoverDeps): CarryoverActivities {
  const conns = async (r: CarryoverRequest) => ({
    live: pgConnection(await environments.connectionFor(r.liveEnvironmentId), 'source (live)', r.liveEnvironmentId),
    archive: pgConnection(await environments.connectionFor(r.archiveEnvironmentId), 'target (archive)', r.archiveEnvironmentId),
  });

  /** The carryover as the live schema and the parameters define it, with what does not fit named. */
  async function specFor(r: CarryoverRequest, live: TargetConnection, checkReferences: boolean) {
    return withClient(live, async (c) => {
      const schema = await readSchema(c, r.parameters.schema ?? 'public');
      const { spec, problems } = resolveSpec(schema, r.parameters);
      const status = spec && !problems.length ? await runStatus(c, spec.cutoff) : null;
      let counts: Record<string, number> = {};
      if (spec && !problems.length && status !== 'done') {
        counts = await countHistorical(c, spec, status !== null);
        if (checkReferences) {
          for (const { table, fk } of spec.inbound) {
            const n = Number(
              (await c.query(`SELECT count(*) AS n FROM ${qq(spec.schema, table)} x WHERE EXISTS (SELECT 1 FROM ${qq(spec.schema, fk.refTable!)} t WHERE ${fk.columns.map((col, i) => `t.${q(fk.refColumns[i]!)} = x.${q(col)}`).join(' AND ')} AND ${historical(spec, fk.refTable!, 't', false)})`)).rows[0].n,
            );
            if (n) problems.push(`${n} row(s) of ${table}, which stays live, reference historical ${fk.refTable} rows through ${fk.name}; declare ${table} in parameters.tables or choose an earlier cut-off.`);
          }
        }
      }
      return { spec, problems, counts, done: status === 'done' };
    });
  }

  async function mustSpec(r: CarryoverRequest, live: TargetConnection): Promise<CarryoverSpec> {
    const { spec, problems } = await specFor(r, live, false);
    if (!spec || problems.length) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The carryover no longer fits the live database: ${problems.join(' ')}`);
    return spec;
  }

  function hooks(): CarryoverHooks {
    const ctx = Context.current();
    return { onProgress: (p) => ctx.heartbeat(p), signal: ctx.cancellationSignal };
  }

  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

  return {
    async assessCarryover(r) {
      const { live, archive } = await conns(r);
      const { spec, problems, counts, done } = await specFor(r, live, true);
      await withClient(archive, (c) => c.query('SELECT 1')); // reachable, credentials valid
      const p = await readClonePrivileges(live);
      if (!p.canCreateDatabases || (!p.ownsDatabase && !p.isSuperuser)) {
        problems.push(`environments.source: the live database's user must be able to copy it (CREATEDB and owner) for the rehearsal clone and the cutover backup.`);
      }
      const rows = sum(counts);
      const summary = problems.length
        ? `Carryover before ${r.parameters.cutoffPeriod} cannot be done as asked: ${problems.join(' ')}`
        : done
          ? `Period ${r.parameters.cutoffPeriod} is already carried over in the live database: nothing to do`
          : `Carry ${rows} historical row(s) dated before ${spec!.cutoff} out of ${spec!.tables.length} tables into archive schema ${spec!.archiveSchema}${spec!.ledger ? `; ledger balances carried forward in ${spec!.ledger.voucherTable}` : ''}`;
      const saved = await reports.save({
        deliveryId: r.deliveryId,
        kind: 'assessment',
        summary,
        body: { parameters: r.parameters, problems, alreadyCarriedOver: done, tables: spec?.tables.map((t) => ({ table: t.table, dateColumn: t.dateColumn ?? null, movesWith: t.via?.map((f) => f.refTable) ?? null, rows: counts[t.table] ?? null })) ?? [], rowsToCarry: rows },
      });
      if (problems.length) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `${summary} See assessment report ${saved.reportId}.`);
      return { ...saved, rowsToCarry: rows, alreadyCarriedOver: done };
    },

    async draftCarryoverPlan(r) {
      const { live } = await conns(r);
      const { spec, problems, counts, done } = await specFor(r, live, true);
      if (!spec) throw new DeliveryError(DeliveryFailureType.InvalidParameters, `The carryover no longer fits the live database: ${problems.join(' ')}`);
      const blockers = problems.length ? `; blocked until corrected: ${problems.join(' ')}` : '';
      return reports.save({
        deliveryId: r.deliveryId,
        kind: 'plan',
        revision: r.revision,
        summary: done
          ? `Revision ${r.revision}: period ${spec.cutoff} is already carried over; the run will change nothing`
          : `Revision ${r.revision}: archive ${sum(counts)} row(s) dated before ${spec.cutoff} into ${spec.archiveSchema}, verify, carry balances forward, purge in batches of ${spec.batchSize}${blockers}`,
        body: {
          revision: r.revision,
          respondsTo: r.feedback ?? null,
          blockers: problems,
          order: spec.tables.map((t) => ({ table: t.table, dateColumn: t.dateColumn ?? null, movesWith: t.via?.map((f) => f.refTable) ?? null, rows: counts[t.table] ?? 0 })),
          steps: [
            'back up the live database (CREATE DATABASE … TEMPLATE) at the start of the window',
            `copy historical rows into archive schema ${spec.archiveSchema} (COPY streamed, one snapshot)`,
            'verify the archive: per table row count and checksum equal to the live rows',
            spec.ledger ? `record the trial balance from ${spec.cutoff} on; insert one opening-balance voucher per ${spec.ledger.partition.join(', ') || 'ledger'} dated the day before the cut-off` : 'no ledger declared: no balances to carry',
            `purge the historical rows from the live database in batches of ${spec.batchSize}, lines before documents`,
            'verify: no historical rows left, trial balance per account and period unchanged; record the cut-off as done (a re-run is a no-op)',
          ],
          rollback: 'Restore the live database from the cutover backup and drop the archive schema (automatic when cutover fails)',
        },
      });
    },

    async rehearseCarryover(r) {
      const { live, archive } = await conns(r);
      const spec = await mustSpec(r, live);
      const clone = scratchName('sdo_rehearsal', r.deliveryId, activityInfo().activityId);
      const scratchArchive = scratchName('sdo_rehearsal_archive', r.deliveryId, activityInfo().activityId);
      await dropDatabase(live, clone);
      await dropDatabase(archive, scratchArchive);
      await cloneDatabase(live, live.database, clone);
      let failure: string | undefined;
      let first: Awaited<ReturnType<typeof carryOverPeriod>> | undefined;
      let second: Awaited<ReturnType<typeof carryOverPeriod>> | undefined;
      try {
        await withClient(archive, (c) => c.query(`CREATE DATABASE ${q(scratchArchive)}`)).catch((err) => {
          throw classifySqlError(err, 'Creating the rehearsal archive', archive.database);
        });
        const cloneConn = { ...live, database: clone };
        const archiveConn = { ...archive, database: scratchArchive };
        first = await carryOverPeriod(cloneConn, archiveConn, spec, r.deliveryId, hooks());
        second = await carryOverPeriod(cloneConn, archiveConn, spec, r.deliveryId, hooks());
        if (!second.noop) failure = 'running the same cut-off a second time was not a no-op';
      } catch (err) {
        if (!(err instanceof DeliveryError) || !err.nonRetryable) throw err;
        failure = err.message;
      } finally {
        await dropDatabase(live, clone);
        await dropDatabase(archive, scratchArchive);
      }
      const passed = failure === undefined;
      const summary = passed
        ? first!.noop
          ? `Rehearsal passed: period ${spec.cutoff} was already carried over, nothing changes`
          : `Rehearsal passed on a clone: ${sum(first!.archived)} row(s) archived and verified in ${first!.timings.archiveMs + first!.timings.verifyArchiveMs} ms, ${first!.openingVouchers} opening voucher(s), purged in ${first!.timings.purgeMs} ms, trial balance unchanged (${first!.trialBalance?.lines ?? 0} lines); a second run was a no-op`
        : `Rehearsal failed: ${failure}`;
      const saved = await reports.save({ deliveryId: r.deliveryId, kind: 'rehearsal', summary, body: { planReportId: r.planReportId, passed, failure: failure ?? null, run: first ?? null, rerunNoop: second?.noop ?? null } });
      return { ...saved, passed, failure };
    },

    async backupLive(r) {
      const { live } = await conns(r);
      await assertCanCloneDatabase(live);
      const backupDatabase = scratchName('sdo_backup', r.deliveryId, activityInfo().activityId);
      await dropDatabase(live, backupDatabase);
      await cloneDatabase(live, live.database, backupDatabase, { terminateSessions: true });
      return { backupDatabase };
    },

    async carryOver(r) {
      const { live, archive } = await conns(r);
      const spec = await mustSpec(r, live);
      const started = new Date().toISOString();
      try {
        const result = await carryOverPeriod(live, archive, spec, r.deliveryId, hooks());
        return reports.save({
          deliveryId: r.deliveryId,
          kind: 'cutover',
          summary: result.noop
            ? `Period ${spec.cutoff} was already carried over: nothing changed`
            : `Carried ${sum(result.archived)} row(s) before ${spec.cutoff} into ${spec.archiveSchema} (verified), ${result.openingVouchers} opening voucher(s), ${sum(result.purged)} row(s) purged; trial balance unchanged over ${result.trialBalance?.lines ?? 0} lines`,
          body: { planReportId: r.planReportId, started, passed: true, archiveSchema: spec.archiveSchema, ...result },
        });
      } catch (err) {
        if (err instanceof DeliveryError && err.nonRetryable) {
          await reports.save({ deliveryId: r.deliveryId, kind: 'cutover', summary: `Cutover failed: ${err.message}`, body: { planReportId: r.planReportId, started, passed: false, failure: err.message } });
        }
        throw err;
      }
    },

    async restoreLive(r) {
      const { live } = await conns(r);
      await restoreFromBackup(live, r.backupDatabase);
    },

    async dropArchivedPeriod(r) {
      const { archive } = await conns(r);
      await dropArchiveSchema(archive, { archiveSchema: `carryover_${r.parameters.cutoffPeriod.replace('-', '_')}`, cutoff: r.parameters.cutoffPeriod }, r.deliveryId);
    },

    async discardLiveBackup(r) {
      const { live } = await conns(r);
      await dropDatabase(live, r.backupDatabase);
    },

    async reportCarryoverAcceptance(r) {
      const phases = await Promise.all(r.reportIds.map(async (id) => ({ id, report: await reports.get(id) })));
      const cutover = [...phases].reverse().find((p) => p.report?.kind === 'cutover');
      const body = (cutover?.report?.body ?? {}) as Record<string, unknown>;
      return reports.save({
        deliveryId: r.deliveryId,
        kind: 'acceptance',
        summary: `Period before ${r.parameters.cutoffPeriod} carried over: ${cutover?.report?.summary ?? 'no cutover report'}; awaiting the customer's sign-off`,
        body: {
          archived: body['archived'] ?? null,
          purged: body['purged'] ?? null,
          trialBalance: body['trialBalance'] ?? null,
          archiveVerification: body['archiveVerification'] ?? null,
          timeline: phases.map((p) => ({ kind: p.report?.kind, summary: p.report?.summary, at: p.report?.createdAt })),
        },
      });
    },
  };
}
