import type { PhaseReportRef } from './delivery';
import type { CutoverBackup, RehearsalOutcome } from './activities';

// ---- Data carryover (数据结转) ------------------------------------------------------------------

/** A document (header) table and the date that decides whether a row is historical. */
export interface DatedTable {
  table: string;
  dateColumn: string;
}

/** The general ledger whose balances are carried forward at the cut-off. */
export interface LedgerDeclaration {
  /** Voucher header table; must also be listed in `tables` with its date column. */
  voucherTable: string;
  /** Entry table, a child of the voucher table through a foreign key. */
  entryTable: string;
  accountColumn: string;
  debitColumn: string;
  creditColumn: string;
  /** Voucher columns balances are kept apart by (e.g. `org_id`): one opening voucher per value. */
  partitionColumns?: string[];
}

/**
 * Parameters of a carryover. Environments: `source` (the live database), `target` (the archive).
 */
export interface CarryoverParameters {
  /** First period (`YYYY-MM`) that stays in the live database; documents dated before it are carried over. */
  cutoffPeriod: string;
  tables: DatedTable[];
  ledger?: LedgerDeclaration;
  /** Rows deleted per purge transaction; 5000 by default. */
  batchSize?: number;
  schema?: string;
}

export interface CarryoverRequest {
  deliveryId: string;
  liveEnvironmentId: string;
  archiveEnvironmentId: string;
  parameters: CarryoverParameters;
}

export interface CarryoverAssessment extends PhaseReportRef {
  rowsToCarry: number;
  alreadyCarriedOver: boolean;
}

export interface CarryoverPlanRequest extends CarryoverRequest {
  revision: number;
  assessmentReportId: string;
  feedback?: string;
}

/** Where a step runs: the live and archive databases themselves, or a rehearsal's clone and scratch archive. */
export interface CarryoverStepRequest extends CarryoverRequest {
  rehearsal?: CarryoverRehearsalDatabases;
}

export interface CarryoverRehearsalDatabases {
  /** Clone of the live database on its server. */
  liveDatabase: string;
  /** Scratch database on the archive's server. */
  archiveDatabase: string;
}

export interface CarryoverPlanDraft extends PhaseReportRef {
  /** Tables in purge order (lines before documents) with their historical rows. */
  tables: { table: string; rows: number }[];
}

export interface CarryoverArchive {
  /** The cut-off is already carried over in the live database: nothing to do. */
  noop: boolean;
  archived: Record<string, number>;
  verification: { table: string; rows: number; checksumEqual: boolean }[];
  /** An earlier attempt got past archiving; this one resumed. */
  resumed: boolean;
  ms: number;
}

export interface CarryoverTrialBalance {
  lines: number;
  mismatches: number;
  totals: { debit: string; credit: string; closing: string };
}

export interface CarryoverRun {
  archive: CarryoverArchive;
  openingVouchers: number;
  purged: Record<string, number>;
  trialBalance: CarryoverTrialBalance | null;
  timings: { archiveMs: number; carryForwardMs: number; purgeMs: number; verifyMs: number };
}

export interface CarryoverActivities {
  assessCarryover(request: CarryoverRequest): Promise<CarryoverAssessment>;
  draftCarryoverPlan(request: CarryoverPlanRequest): Promise<CarryoverPlanDraft>;
  /** Clone of the live database (CREATE DATABASE … TEMPLATE) and an empty scratch archive. */
  createCarryoverRehearsal(request: CarryoverRequest & { revision: number }): Promise<CarryoverRehearsalDatabases>;
  /** Drops both rehearsal databases through the shared `dropScratchDatabase`. */
  dropCarryoverRehearsal(request: CarryoverRequest & { rehearsal: CarryoverRehearsalDatabases }): Promise<void>;
  /** Records the trial balance, copies historical rows into the cut-off's archive schema and verifies them (count + checksum). */
  archiveHistory(request: CarryoverStepRequest): Promise<CarryoverArchive>;
  /** One opening-balance voucher per partition, in the transaction that moves the run to purging. */
  carryBalancesForward(request: CarryoverStepRequest): Promise<{ openingVouchers: number; ms: number }>;
  /** Deletes one table's historical rows in batches (one transaction each). */
  purgeHistory(request: CarryoverStepRequest & { table: string }): Promise<{ table: string; rows: number; ms: number }>;
  /** Verifies (nothing historical left, purged = archived, trial balance unchanged) and records the cut-off as done. */
  finishCarryover(
    request: CarryoverStepRequest & { archived: Record<string, number>; purged: Record<string, number> },
  ): Promise<{ trialBalance: CarryoverTrialBalance | null; ms: number }>;
  reportCarryoverRehearsal(
    request: CarryoverRequest & { planReportId: string; passed: boolean; failure?: string; run?: CarryoverRun; rerunNoop?: boolean },
  ): Promise<RehearsalOutcome>;
  reportCarryoverCutover(request: CarryoverRequest & { planReportId: string; run: CarryoverRun }): Promise<PhaseReportRef>;
  /** Copies the live database (CREATE DATABASE … TEMPLATE) at the start of the window; alias of `backupDatabase`. */
  backupLive(request: CarryoverRequest): Promise<CutoverBackup>;
  /** Compensation: the live database restored from the cutover backup; alias of `restoreDatabase`. */
  restoreLive(request: CarryoverRequest & CutoverBackup): Promise<void>;
  /** Compensation: the archive schema this delivery created is dropped. */
  dropArchivedPeriod(request: CarryoverRequest): Promise<void>;
  /** Alias of `discardBackup`. */
  discardLiveBackup(request: CarryoverRequest & CutoverBackup): Promise<void>;
  reportCarryoverAcceptance(request: CarryoverRequest & { reportIds: string[] }): Promise<PhaseReportRef>;
}
