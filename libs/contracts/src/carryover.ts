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

export interface CarryoverActivities {
  assessCarryover(request: CarryoverRequest): Promise<CarryoverAssessment>;
  draftCarryoverPlan(request: CarryoverPlanRequest): Promise<PhaseReportRef>;
  /** The whole carryover on a clone of the live database into a scratch archive, run twice (the second must be a no-op). */
  rehearseCarryover(request: CarryoverRequest & { planReportId: string }): Promise<RehearsalOutcome>;
  /** Copies the live database (CREATE DATABASE … TEMPLATE) at the start of the window. */
  backupLive(request: CarryoverRequest): Promise<CutoverBackup>;
  /** Archive, verify, carry balances forward, purge in batches, verify the trial balance. */
  carryOver(request: CarryoverRequest & { planReportId: string }): Promise<PhaseReportRef>;
  /** Compensation: the live database restored from the cutover backup. */
  restoreLive(request: CarryoverRequest & CutoverBackup): Promise<void>;
  /** Compensation: the archive schema this cutoff created is dropped. */
  dropArchivedPeriod(request: CarryoverRequest): Promise<void>;
  discardLiveBackup(request: CarryoverRequest & CutoverBackup): Promise<void>;
  reportCarryoverAcceptance(request: CarryoverRequest & { reportIds: string[] }): Promise<PhaseReportRef>;
}
