import type { PhaseReportRef, PlanDraft } from './delivery';
import type { RehearsalOutcome } from './activities';

// ---- Org split (组织拆分) -----------------------------------------------------------------------

/** The organisation column of one table, when it cannot (or should not) be discovered. */
export interface OrganisationColumn {
  table: string;
  column: string;
}

/**
 * Parameters of an org split. Environments: `source` (the account set to split), `target` (the new,
 * empty database of the organisation).
 */
export interface OrgSplitParameters {
  /** Key values (as text) of the organisation(s) to split out, e.g. `["2"]`. */
  organisations: string[];
  /** The organisation master table, e.g. `organisations`; its primary key identifies an organisation. */
  organisationTable: string;
  /** Declared organisation columns; tables not named here are discovered through their foreign key to the organisation table. */
  organisationColumns?: OrganisationColumn[];
  /** PostgreSQL schema holding the account set; `public` by default. */
  schema?: string;
  /**
   * At cutover, after the new database is verified: back up the source, then delete the
   * organisation's own rows (organisation-column rows and their document lines, never shared
   * master data) from it. Default false: the source is only read.
   */
  removeFromSource?: boolean;
}

export interface OrgSplitRequest {
  deliveryId: string;
  sourceEnvironmentId: string;
  targetEnvironmentId: string;
  parameters: OrgSplitParameters;
}

export interface OrgSplitAssessment extends PhaseReportRef {
  tables: number;
  rowsToCopy: number;
}

export interface OrgSplitPlanRequest extends OrgSplitRequest {
  revision: number;
  assessmentReportId: string;
  feedback?: string;
}

/** The plan, with the tables in copy order and their chosen rows (for progress and ETA). */
export interface OrgSplitPlanDraft extends PlanDraft {
  tables: { table: string; rows: number }[];
}

/** A step of the extraction, into the target itself or (rehearsal) into a scratch database on the target's server. */
export interface SplitStepRequest extends OrgSplitRequest {
  scratchDatabase?: string;
}

export interface SplitTableCopy {
  table: string;
  rows: number;
  ms: number;
  /** Already copied by an earlier attempt (its checkpoint was found). */
  resumed: boolean;
}

export interface SplitTableCheck {
  table: string;
  role: string;
  /** Rows chosen on the source; for organisation tables `WHERE org = ANY(organisations)`. */
  sourceRows: number;
  targetRows: number;
  /** Rows in the target that belong to another organisation. */
  foreignOrganisationRows: number;
  checksumEqual: boolean;
  passed: boolean;
}

export interface SplitVerification {
  passed: boolean;
  tables: SplitTableCheck[];
  foreignKeys: { source: number; target: number; validated: number };
  failures: string[];
  ms: number;
}

export interface SplitExtraction {
  copies: SplitTableCopy[];
  verification: SplitVerification;
  timings: { prepareMs: number; copyMs: number; finalizeMs: number; verifyMs: number };
}

/** The organisation's rows removed from the source at cutover, verified afterwards. */
export interface SplitSourceRemoval {
  tables: { table: string; role: string; removed: number; remaining: number; otherOrganisationsRows: number | null }[];
  removedRows: number;
  foreignKeysChecked: number;
  ms: number;
}

export interface SplitSourceBackup {
  backupDatabase: string;
}

export interface OrgSplitActivities {
  /** Validates the parameters against both databases and sizes the split; InvalidParameters names what does not fit. */
  assessOrgSplit(request: OrgSplitRequest): Promise<OrgSplitAssessment>;
  draftOrgSplitPlan(request: OrgSplitPlanRequest): Promise<OrgSplitPlanDraft>;
  /** A fresh scratch database on the target's server for a rehearsal. */
  createRehearsalDatabase(request: OrgSplitRequest & { revision: number }): Promise<{ scratchDatabase: string }>;
  /** Alias of the shared `dropScratchDatabase`. */
  dropRehearsalDatabase(request: OrgSplitRequest & { scratchDatabase: string }): Promise<void>;
  /** Creates the tables (keys and checks, no foreign keys yet) once; records what it created. */
  prepareSplitTarget(request: SplitStepRequest): Promise<{ ms: number }>;
  /** Copies one table's chosen rows; checkpointed with the copy, so a repeated call does nothing. */
  copySplitTable(request: SplitStepRequest & { table: string }): Promise<SplitTableCopy>;
  /** `copySplitTable` for each table in turn (small tables share an activity, see `copyUnits`). */
  copySplitTables(request: SplitStepRequest & { tables: string[] }): Promise<SplitTableCopy[]>;
  /** Indexes, validated foreign keys, sequence positions. */
  finalizeSplitTarget(request: SplitStepRequest): Promise<{ ms: number }>;
  verifySplitTarget(request: SplitStepRequest): Promise<SplitVerification>;
  /**
   * With `removeFromSource`, the rehearsal of the removal: the same deletes and checks on the live
   * source inside one transaction that is rolled back (the organisation's rows stay locked while it
   * runs); a trigger, privilege or foreign key that would stop the cutover's removal fails here.
   */
  rehearseSourceRemoval(request: OrgSplitRequest & { copies: SplitTableCopy[] }): Promise<SplitSourceRemoval>;
  reportOrgSplitRehearsal(
    request: OrgSplitRequest & { planReportId: string; passed: boolean; failure?: string; extraction?: SplitExtraction; removal?: SplitSourceRemoval },
  ): Promise<RehearsalOutcome>;
  /** Saves the cutover report; throws VerificationFailed when the verification did not pass. */
  reportOrgSplitCutover(
    request: OrgSplitRequest & { planReportId: string; extraction: SplitExtraction; removal?: SplitSourceRemoval; sourceBackup?: string },
  ): Promise<PhaseReportRef>;
  /** Removal from the source, step 1: a copy of the whole source database on its server (sessions disconnected); alias of `backupDatabase`. */
  backupSplitSource(request: OrgSplitRequest): Promise<SplitSourceBackup>;
  /** Compensation: replaces the source with its backup (the backup is kept); alias of `restoreDatabase`. */
  restoreSplitSource(request: OrgSplitRequest & SplitSourceBackup): Promise<void>;
  /** Removal from the source, step 2: deletes the organisation's own rows, children first, in batches; verifies the source afterwards. */
  removeOrganisationFromSource(request: OrgSplitRequest & { copies: SplitTableCopy[] }): Promise<SplitSourceRemoval>;
  /** After sign-off: drops the source backup; alias of `discardBackup`. */
  discardSplitSourceBackup(request: OrgSplitRequest & SplitSourceBackup): Promise<void>;
  /** Compensation: drops every object the extraction created in the target, leaving it as before. */
  dropExtractedObjects(request: OrgSplitRequest): Promise<void>;
  /** After sign-off: removes the bookkeeping the extraction kept in the target. */
  finishOrgSplit(request: OrgSplitRequest): Promise<void>;
  reportOrgSplitAcceptance(request: OrgSplitRequest & { reportIds: string[] }): Promise<PhaseReportRef>;
}
