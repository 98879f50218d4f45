import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  AcceptanceConfirmation,
  amendParametersUpdate,
  approvePlanUpdate,
  confirmAcceptanceUpdate,
  CutoverWindow,
  DeliveryFailureType,
  DeliveryInput,
  DEPENDENTS_NOT_CONFIRMED,
  DeliveryPhase,
  DeliveryRequest,
  DeliveryResult,
  DeliverySearchAttributes,
  deliveryStatusQuery,
  DeliveryStatus,
  GateName,
  LifecycleActivities,
  moveCutoverWindowUpdate,
  PhaseReportRef,
  PlanDecision,
  PlanVersion,
  rejectAcceptanceUpdate,
  rejectPlanUpdate,
  ReopenablePhase,
  REOPENABLE_PHASES,
  signContractUpdate,
  TERMINAL_PHASES,
} from '@sdo/contracts';
import { activityProfiles, bookkeepingActivities, deliveryActivities } from './activity-profiles';
import { Compensations } from './compensations';
import type { DeliveryService } from './delivery-service';
import { describeFailure } from './failures';

const lifecycle = deliveryActivities<LifecycleActivities>(activityProfiles.bookkeeping);
const stateBookkeeping = bookkeepingActivities<Pick<LifecycleActivities, 'recordDeliveryState'>>();

/** Rough share of the delivery done when a phase starts; shown as progress. */
const PHASE_PROGRESS: Partial<Record<DeliveryPhase, number>> = {
  assessment: 5,
  contract: 15,
  plan: 25,
  test: 45,
  cutover: 70,
  acceptance: 90,
  completed: 100,
};

const MAX_EVENTS = 50;

/** Deliveries started before assessment blockers waited for the manager fail at a blocker when replayed. */
const ASSESSMENT_BLOCKERS = 'assessment-blockers';
/** Search attributes are plaintext in Temporal (indexed, never encrypted): the indexed step leaves out the manager's comment. */
const UNINDEXED_COMMENTS = 'unindexed-amendment-comments';

/** The manager's new parameters were taken: the delivery is assessed (and planned) again. */
type Amendment = { gate: 'assessmentBlocked' | 'planApproval'; amended: true; by: string; comment?: string };

type GateDecision =
  | Amendment
  | { gate: 'contractSignature'; by: string }
  | { gate: 'planApproval'; amended?: false; approved: boolean; by: string; comment?: string }
  | { gate: 'acceptance'; confirmed: true; by: string; comment?: string }
  | { gate: 'acceptance'; confirmed: false; by: string; reason: string; reopen: ReopenablePhase };

/**
 * The shared lifecycle every delivery workflow runs: assessment → contract → plan → test → cutover → acceptance.
 * An assessment blocker waits for the manager (`assessmentBlocked`), who amends the parameters or cancels.
 */
export function runDelivery<P>(input: DeliveryInput<P>, service: DeliveryService<P>): Promise<DeliveryResult> {
  return new DeliveryRun(input as DeliveryInput<unknown>, service as DeliveryService<unknown>).execute();
}

function isAmendment(decision: GateDecision | PlanVersion): decision is Amendment {
  return 'amended' in decision && decision.amended === true;
}

class DeliveryRun {
  private readonly status: DeliveryStatus & { cutoverWindow: CutoverWindow };
  private readonly compensations = new Compensations();
  private decision: GateDecision | undefined;
  private windowMoves = 0;
  /** What assessment and planning work on: the start's parameters, or the manager's latest amendment. */
  private request: DeliveryRequest<unknown>;
  /** An amendment the app database does not mirror yet (sent with the next state record). */
  private unmirrored: DeliveryRequest | undefined;
  /** The step as SdoStep shows it (see `step`). */
  private indexedStep: string | undefined;

  constructor(
    private readonly input: DeliveryInput<unknown>,
    private readonly service: DeliveryService<unknown>,
  ) {
    this.request = { parameters: input.parameters, environments: { ...input.environments } };
    this.status = {
      deliveryId: input.deliveryId,
      serviceType: input.serviceType,
      phase: 'assessment',
      step: 'starting',
      progress: 0,
      contractRef: input.contractRef,
      plans: [],
      reports: [],
      cutoverWindow: { ...input.cutoverWindow },
      reminders: 0,
      escalated: false,
      events: [],
    };
    this.registerHandlers();
  }

  async execute(): Promise<DeliveryResult> {
    try {
      return await this.deliver();
    } catch (err) {
      await CancellationScope.nonCancellable(() => this.closeAfter(err));
      throw err;
    }
  }

  private async deliver(): Promise<DeliveryResult> {
    let next: DeliveryPhase = 'assessment';
    let feedback: string | undefined;
    let plan: PlanVersion | undefined;
    for (;;) {
      switch (next) {
        case 'assessment':
          await this.enter('assessment', feedback ? 'assessing the amended parameters' : 'assessing');
          this.addReport(await this.assess());
          next = 'contract';
          break;
        case 'contract':
          if (!this.status.contractRef) {
            await this.enter('contract', 'awaiting contract signature');
            await this.awaitGate('contractSignature');
          }
          next = 'plan';
          break;
        case 'plan': {
          const outcome = await this.planUntilApproved(feedback);
          if (isAmendment(outcome)) {
            // The plan was drafted from parameters that no longer hold: assess again, then draft anew.
            feedback = amendmentNote(outcome);
            next = 'assessment';
            break;
          }
          plan = outcome;
          feedback = undefined;
          next = 'test';
          break;
        }
        case 'test': {
          await this.enter('test', 'rehearsing');
          const verdict = await this.service.rehearse(mustHave(plan));
          this.addReport(verdict);
          if (verdict.passed) {
            next = 'cutover';
          } else {
            feedback = `Rehearsal failed: ${verdict.failure ?? 'see the rehearsal report'}`;
            this.status.lastFailure = { phase: 'test', type: DeliveryFailureType.RehearsalFailed, message: feedback };
            await this.record(`${feedback}; cutover is blocked until a revised plan passes a rehearsal`);
            next = 'plan';
          }
          break;
        }
        case 'cutover': {
          await this.awaitCutoverWindow();
          const failure = await this.cutover(mustHave(plan));
          if (failure) {
            feedback = `Cutover failed and was rolled back: ${failure}`;
            next = 'plan';
          } else {
            next = 'acceptance';
          }
          break;
        }
        case 'acceptance': {
          await this.enter('acceptance', 'compiling acceptance report');
          this.addReport(await this.service.reportAcceptance(this.status.reports));
          const decision = await this.awaitGate('acceptance');
          if (decision.gate === 'acceptance' && decision.confirmed) {
            await this.service.afterAcceptance?.();
            await this.enter('completed', `accepted by ${decision.by}`, decision.by);
            await condition(allHandlersFinished);
            return { deliveryId: this.input.deliveryId, outcome: 'accepted', acceptedBy: decision.by, reports: this.status.reports };
          }
          if (decision.gate === 'acceptance') {
            feedback = `Acceptance rejected by ${decision.by}: ${decision.reason}`;
            next = decision.reopen;
          }
          break;
        }
        default:
          throw ApplicationFailure.nonRetryable(`unexpected phase ${next}`, 'LifecycleError');
      }
    }
  }

  /**
   * The service's assessment of the current request. A failure a person must fix (a privilege,
   * credentials, an unreachable server past its retry budget, a parameter) waits at
   * `assessmentBlocked` with the reason until the manager amends the parameters or cancels.
   */
  private async assess(): Promise<PhaseReportRef> {
    for (;;) {
      try {
        return await this.service.assess(this.request);
      } catch (err) {
        if (!isBlocker(err) || !patched(ASSESSMENT_BLOCKERS)) throw err;
        this.status.lastFailure = describeFailure('assessment', err);
        const report = reportOf(err);
        if (report) this.addReport(report);
        this.pushEvent(`Assessment blocked (${this.status.lastFailure.type}): ${this.status.lastFailure.message}`);
        const amendment = await this.awaitGate('assessmentBlocked');
        if (!isAmendment(amendment)) throw ApplicationFailure.nonRetryable('lifecycle state is inconsistent', 'LifecycleError');
        const step = `assessing the amended parameters (${amendmentNote(amendment)})`;
        await this.step(step, patched(UNINDEXED_COMMENTS) ? 'assessing the amended parameters' : step);
      }
    }
  }

  private async planUntilApproved(feedback: string | undefined): Promise<PlanVersion | Amendment> {
    let why = feedback;
    for (;;) {
      const revision = this.status.plans.length + 1;
      await this.enter('plan', `drafting plan revision ${revision}`);
      const draft = await this.service.draftPlan(revision, why);
      for (const earlier of this.status.plans) if (earlier.status === 'proposed' || earlier.status === 'approved') earlier.status = 'superseded';
      const plan: PlanVersion = { revision, reportId: draft.reportId, summary: draft.summary, status: 'proposed' };
      // Absent in drafts recorded before confirmations existed: those plans are approved as they were.
      if (draft.confirmationRequired) plan.confirmationRequired = { ...draft.confirmationRequired };
      this.status.plans.push(plan);
      this.addReport(draft);
      const decision = await this.awaitGate('planApproval');
      if (isAmendment(decision)) {
        patched(ASSESSMENT_BLOCKERS);
        return decision;
      }
      if (decision.gate === 'planApproval' && decision.approved) return plan;
      why = decision.gate === 'planApproval' ? `Plan revision ${revision} rejected by ${decision.by}: ${decision.comment ?? ''}` : why;
    }
  }

  private async awaitCutoverWindow(): Promise<void> {
    await this.enter('cutover', 'waiting for the cutover window', undefined, 'cutoverWindow');
    for (;;) {
      const wait = Date.parse(this.status.cutoverWindow.startsAt) - Date.now();
      if (wait <= 0) break;
      const seen = this.windowMoves;
      await condition(() => this.windowMoves !== seen, wait);
    }
    this.status.awaiting = undefined;
  }

  /** Runs the service's cutover; on failure undoes it and returns the reason. */
  private async cutover(plan: PlanVersion): Promise<string | undefined> {
    await this.step('executing cutover');
    try {
      this.addReport(await this.service.cutover(plan, this.compensations));
      this.compensations.clear();
      return undefined;
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = describeFailure('cutover', err);
      this.status.lastFailure = failure;
      await this.step('rolling back the failed cutover');
      const undone = await CancellationScope.nonCancellable(() => this.compensations.run());
      await this.record(`Cutover failed (${failure.message}); compensations run: ${undone.join(', ') || 'none needed'}`);
      return failure.message;
    }
  }

  private async closeAfter(err: unknown): Promise<void> {
    const undone = await this.compensations.run();
    const undoneNote = undone.length ? `; compensations run: ${undone.join(', ')}` : '';
    this.status.awaiting = undefined;
    if (isCancellation(err)) {
      this.status.phase = 'cancelled';
      await this.record(`Delivery cancelled during ${this.status.step}${undoneNote}`);
      return;
    }
    this.status.lastFailure = describeFailure(this.status.phase, err);
    // The report a failed step wrote (e.g. an assessment's findings) is listed with the others.
    const report = reportOf(err);
    if (report && !this.status.reports.some((r) => r.reportId === report.reportId)) this.addReport(report);
    this.status.phase = 'failed';
    await this.record(`Delivery failed: ${this.status.lastFailure.message}${undoneNote}`);
  }

  // ---- gates -----------------------------------------------------------------------------------

  /** Waits for a person's decision; reminds on a timer and escalates once past the deadline. */
  private async awaitGate(gate: Exclude<GateName, 'cutoverWindow'>): Promise<GateDecision> {
    this.decision = undefined;
    this.status.awaiting = gate;
    this.status.reminders = 0;
    this.status.escalated = false;
    await this.step(`awaiting ${gate}`);
    const waitingSince = new Date().toISOString();
    const decided = () => this.decision?.gate === gate;
    const notify = (kind: 'reminder' | 'escalation') =>
      lifecycle.notifyGate({ deliveryId: this.input.deliveryId, gate, kind, waitingSince, reminderCount: this.status.reminders });

    const escalation = new CancellationScope();
    const escalated = escalation
      .run(async () => {
        await sleep(this.input.gatePolicy.escalateAfter);
        this.status.escalated = true;
        await notify('escalation');
      })
      .catch((err: unknown) => {
        if (!isCancellation(err)) throw err;
      });
    while (!(await condition(decided, this.input.gatePolicy.reminderEvery))) {
      this.status.reminders += 1;
      await notify('reminder');
    }
    escalation.cancel();
    await escalated;
    return this.takeDecision();
  }

  private registerHandlers(): void {
    setHandler(deliveryStatusQuery, () => this.liveStatus());

    setHandler(
      signContractUpdate,
      (signature) => {
        this.status.contractRef = signature.contractRef;
        this.decide({ gate: 'contractSignature', by: signature.signedBy }, `contract ${signature.contractRef} signed by ${signature.signedBy}`);
        return this.status;
      },
      {
        validator: (signature) => {
          this.expectGate('contractSignature');
          requireText(signature?.contractRef, 'contractRef');
        },
      },
    );

    const planDecision = (approved: boolean) => (d: PlanDecision) => {
      const plan = mustHave(this.status.plans.find((p) => p.revision === d.revision));
      plan.status = approved ? 'approved' : 'rejected';
      plan.decidedBy = d.decidedBy;
      plan.comment = d.comment;
      const confirmed = approved && d.confirmDependents === true ? plan.confirmationRequired : undefined;
      if (confirmed) plan.dependentsConfirmed = true;
      const lost = confirmed ? ` (confirmed: ${confirmed.dependents} dependent object(s) not created)` : '';
      this.decide(
        { gate: 'planApproval', approved, by: d.decidedBy, comment: d.comment },
        `plan revision ${d.revision} ${approved ? 'approved' : 'rejected'} by ${d.decidedBy}${lost}${d.comment ? `: ${d.comment}` : ''}`,
      );
      return this.status;
    };
    const planValidator = (approving: boolean) => (d: PlanDecision) => {
      this.expectGate('planApproval');
      const current = this.status.plans[this.status.plans.length - 1];
      if (!current || d?.revision !== current.revision) {
        throw new Error(`Plan revision ${d?.revision} is not the one awaiting approval (current revision: ${current?.revision ?? 'none'}).`);
      }
      if (!approving) requireText(d.comment, 'comment');
      // Exclusions drop objects that depend on what is excluded: the manager must say they saw it.
      const lost = current.confirmationRequired;
      if (approving && lost && d.confirmDependents !== true) {
        throw ApplicationFailure.create({
          type: DEPENDENTS_NOT_CONFIRMED,
          nonRetryable: true,
          message:
            `Plan revision ${current.revision} does not create ${lost.dependents} object(s) that depend on what is excluded: ${lost.summary}. ` +
            `Approve it with confirmDependents: true to accept that, or amend the parameters (plan report ${current.reportId} lists them).`,
        });
      }
    };
    setHandler(approvePlanUpdate, planDecision(true), { validator: planValidator(true) });
    setHandler(rejectPlanUpdate, planDecision(false), { validator: planValidator(false) });

    setHandler(
      confirmAcceptanceUpdate,
      (c) => {
        this.decide({ gate: 'acceptance', confirmed: true, by: c.confirmedBy, comment: c.comment }, `acceptance confirmed by ${c.confirmedBy}`);
        return this.status;
      },
      { validator: (_confirmation: AcceptanceConfirmation) => this.expectGate('acceptance') },
    );
    setHandler(
      rejectAcceptanceUpdate,
      (r) => {
        const reopen = r.reopen ?? 'test';
        this.decide(
          { gate: 'acceptance', confirmed: false, by: r.rejectedBy, reason: r.reason, reopen },
          `acceptance rejected by ${r.rejectedBy} (back to ${reopen}): ${r.reason}`,
        );
        return this.status;
      },
      {
        validator: (r) => {
          this.expectGate('acceptance');
          requireText(r?.reason, 'reason');
          if (r.reopen !== undefined && !REOPENABLE_PHASES.includes(r.reopen)) {
            throw new Error(`reopen must be one of ${REOPENABLE_PHASES.join(', ')}`);
          }
        },
      },
    );

    setHandler(
      amendParametersUpdate,
      (a) => {
        const gate = this.status.awaiting as Amendment['gate'];
        this.request = { parameters: a.parameters, environments: { ...this.request.environments, ...(a.environments ?? {}) } };
        this.unmirrored = { parameters: a.parameters, environments: this.request.environments };
        if (gate === 'planApproval') for (const plan of this.status.plans) if (plan.status === 'proposed') plan.status = 'superseded';
        this.decide(
          { gate, amended: true, by: a.amendedBy, comment: a.comment },
          `parameters amended by ${a.amendedBy}${a.comment ? `: ${a.comment}` : ''}; the delivery is assessed again`,
        );
        return this.status;
      },
      {
        validator: (a) => {
          if (this.status.awaiting !== 'assessmentBlocked' && this.status.awaiting !== 'planApproval') {
            throw new Error(
              `Parameters can be amended only while the delivery waits at a blocked assessment or for plan approval; it is in phase ${this.status.phase} (${this.status.step}).`,
            );
          }
          if (typeof a?.parameters !== 'object' || a.parameters === null || Array.isArray(a.parameters)) throw new Error('parameters must be an object');
          requireText(a.amendedBy, 'amendedBy');
        },
      },
    );

    setHandler(
      moveCutoverWindowUpdate,
      (change) => {
        this.status.cutoverWindow = {
          startsAt: new Date(Date.parse(change.startsAt)).toISOString(),
          durationMinutes: change.durationMinutes ?? this.status.cutoverWindow.durationMinutes,
        };
        this.windowMoves += 1;
        this.pushEvent(`cutover window moved to ${this.status.cutoverWindow.startsAt} by ${change.movedBy}`);
        return this.status;
      },
      {
        validator: (change) => {
          const waitingForWindow = this.status.phase === 'cutover' && this.status.awaiting === 'cutoverWindow';
          if (!waitingForWindow && !['assessment', 'contract', 'plan', 'test'].includes(this.status.phase)) {
            throw new Error(`The cutover window can no longer be moved: the delivery is in phase ${this.status.phase} (${this.status.step}).`);
          }
          if (Number.isNaN(Date.parse(change?.startsAt))) throw new Error('startsAt must be an ISO-8601 date-time');
          if (change.durationMinutes !== undefined && !(Number.isInteger(change.durationMinutes) && change.durationMinutes > 0)) {
            throw new Error('durationMinutes must be a positive whole number');
          }
        },
      },
    );
  }

  private expectGate(gate: GateName): void {
    if (this.status.awaiting !== gate) {
      const waiting = this.status.awaiting ? `is waiting for ${this.status.awaiting}` : 'is not waiting for a decision';
      throw new Error(`The delivery is in phase ${this.status.phase} and ${waiting}, not for ${gate}.`);
    }
  }

  private takeDecision(): GateDecision {
    const decision = mustHave(this.decision);
    this.decision = undefined;
    return decision;
  }

  private decide(decision: GateDecision, note: string): void {
    this.decision = decision;
    this.status.awaiting = undefined;
    this.pushEvent(note);
  }

  // ---- state -----------------------------------------------------------------------------------

  private async enter(phase: DeliveryPhase, step: string, actor?: string, awaiting?: GateName): Promise<void> {
    this.status.phase = phase;
    this.status.progress = PHASE_PROGRESS[phase] ?? this.status.progress;
    this.status.awaiting = awaiting;
    this.status.step = step;
    this.indexedStep = step;
    await this.record(`${phase}: ${step}`, actor);
  }

  /** `indexed`: what the Temporal UI's SdoStep shows, when the step's text carries free text of a person's. */
  private async step(step: string, indexed = step): Promise<void> {
    this.status.step = step;
    this.indexedStep = indexed;
    await this.record(step);
  }

  /** What the status query answers: the state, with the running step's progress detail. */
  private liveStatus(): DeliveryStatus {
    const detail = this.service.progressDetail?.();
    return detail ? { ...this.status, step: `${this.status.step}: ${detail}` } : this.status;
  }

  private addReport(report: PhaseReportRef): void {
    this.status.reports.push({ kind: report.kind, reportId: report.reportId, summary: report.summary });
  }

  private pushEvent(note: string): void {
    this.status.events.push({ at: new Date().toISOString(), phase: this.status.phase, note });
    if (this.status.events.length > MAX_EVENTS) this.status.events.splice(0, this.status.events.length - MAX_EVENTS);
  }

  /** Publishes the state: search attributes for the Temporal UI, the app database for lists and audit. */
  private async record(note: string, actor?: string): Promise<void> {
    this.pushEvent(note);
    upsertSearchAttributes([
      // Service and customer never change; repeating them keeps starts that set no attributes filterable.
      { key: DeliverySearchAttributes.serviceType, value: this.input.serviceType },
      { key: DeliverySearchAttributes.customerId, value: this.input.customerId },
      { key: DeliverySearchAttributes.phase, value: this.status.phase },
      { key: DeliverySearchAttributes.step, value: this.indexedStep ?? this.status.step },
      { key: DeliverySearchAttributes.awaiting, value: this.status.awaiting ?? 'none' },
      { key: DeliverySearchAttributes.progress, value: this.status.progress },
    ]);
    const amended = this.unmirrored;
    await stateBookkeeping().recordDeliveryState({
      deliveryId: this.input.deliveryId,
      phase: this.status.phase,
      step: this.status.step,
      progress: this.status.progress,
      awaiting: this.status.awaiting ?? null,
      note,
      actor,
      failure: this.status.lastFailure,
      ...(amended ? { amended } : {}),
      // The last state: the app database keeps it for reads after Temporal's retention.
      ...(TERMINAL_PHASES.includes(this.status.phase) ? { finalStatus: this.liveStatus() } : {}),
    });
    if (this.unmirrored === amended) this.unmirrored = undefined;
  }
}

/** A failure of the assessment that a person can fix by amending the request; cancellation and workflow bugs are not. */
function isBlocker(err: unknown): boolean {
  if (isCancellation(err)) return false;
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure || cause instanceof TimeoutFailure;
}

/** The report a failed activity wrote before failing (its first detail: `{ report }`), if any. */
function reportOf(err: unknown): PhaseReportRef | undefined {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  const failure = cause instanceof TimeoutFailure && cause.cause instanceof ApplicationFailure ? cause.cause : cause;
  if (!(failure instanceof ApplicationFailure)) return undefined;
  const report = (failure.details?.[0] as { report?: Partial<PhaseReportRef> } | undefined)?.report;
  return report && typeof report.reportId === 'string' && typeof report.summary === 'string'
    ? { kind: report.kind ?? 'assessment', reportId: report.reportId, summary: report.summary }
    : undefined;
}

function amendmentNote(a: Amendment): string {
  return `parameters amended by ${a.by}${a.comment ? `: ${a.comment}` : ''}`;
}

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || !value.trim()) throw new Error(`${field} must be a non-empty text`);
}

function mustHave<T>(value: T | undefined): T {
  if (value === undefined) throw ApplicationFailure.nonRetryable('lifecycle state is inconsistent', 'LifecycleError');
  return value;
}
