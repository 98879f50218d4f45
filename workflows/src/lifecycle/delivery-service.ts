import type { DeliveryRequest, PhaseReportRef, PlanDraft, PlanVersion } from '@sdo/contracts';
import type { Compensations } from './compensations';

export interface RehearsalVerdict extends PhaseReportRef {
  passed: boolean;
  failure?: string;
}

/**
 * What a service type contributes to the shared lifecycle: the work of each phase. The
 * lifecycle owns phases, gates, the cutover window, compensation and cancellation.
 */
export interface DeliveryService<P = unknown> {
  /**
   * Assesses `request`: the start's parameters and environments, or the latest a manager amended
   * them to. What follows (plan, rehearsal, cutover) works on the request last assessed.
   */
  assess(request: DeliveryRequest<P>): Promise<PhaseReportRef>;
  /**
   * Drafts plan `revision`; `feedback` says why the previous one was not good enough. A draft that
   * loses dependent objects says so (`confirmationRequired`) and is approved only with `confirmDependents`.
   */
  draftPlan(revision: number, feedback: string | undefined): Promise<PlanDraft>;
  rehearse(plan: PlanVersion): Promise<RehearsalVerdict>;
  /** Formal delivery; registers an undo for each step that changes the target. */
  cutover(plan: PlanVersion, compensations: Compensations): Promise<PhaseReportRef>;
  reportAcceptance(reports: PhaseReportRef[]): Promise<PhaseReportRef>;
  /** Cleanup once the customer has signed off (e.g. dropping the cutover backup). */
  afterAcceptance?(): Promise<void>;
  /** Live detail of long work (e.g. tables and rows copied), appended to the status step when asked; records nothing. */
  progressDetail?(): string | undefined;
}
