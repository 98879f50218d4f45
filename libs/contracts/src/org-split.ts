import type { PhaseReportRef } from './delivery';
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

export interface OrgSplitActivities {
  /** Validates the parameters against both databases and sizes the split; InvalidParameters names what does not fit. */
  assessOrgSplit(request: OrgSplitRequest): Promise<OrgSplitAssessment>;
  draftOrgSplitPlan(request: OrgSplitPlanRequest): Promise<PhaseReportRef>;
  /** Full split into a scratch database on the target's server, verified, then dropped. */
  rehearseOrgSplit(request: OrgSplitRequest & { planReportId: string }): Promise<RehearsalOutcome>;
  /** Creates the schema in the target, copies the organisation's rows table by table (checkpointed), adds keys and verifies. */
  extractOrganisation(request: OrgSplitRequest & { planReportId: string }): Promise<PhaseReportRef>;
  /** Compensation: drops every object the extraction created in the target, leaving it as before. */
  dropExtractedObjects(request: OrgSplitRequest): Promise<void>;
  /** After sign-off: removes the bookkeeping the extraction kept in the target. */
  finishOrgSplit(request: OrgSplitRequest): Promise<void>;
  reportOrgSplitAcceptance(request: OrgSplitRequest & { reportIds: string[] }): Promise<PhaseReportRef>;
}
