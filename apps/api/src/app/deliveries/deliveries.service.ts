import { ConflictException, Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { catalogService, FieldProblem, flowParameterProblems, flowPlan, flowProduct, serviceDisplayName, validateParameters } from '@sdo/catalog';
import { isUUID } from 'class-validator';
import type { SdoConfig } from '@sdo/config';
import {
  CatalogFlowInput,
  type ConcurrentHeavyWork,
  DataMigrationParameters,
  DEFAULT_SHARED_HOLDERS,
  DELIVERY_WORKFLOW_TYPES,
  DeliveryInput,
  type DeliveryStatus,
  deliveryWorkflowId,
  GatePolicy,
  isCatalogFlowCode,
  isQuerySource,
  isServiceType,
  PersonDayAllowance,
  ServiceType,
  TERMINAL_PHASES,
} from '@sdo/contracts';
import { sourceQueryProblem } from '@sdo/data-engine';
import {
  AuditTrail,
  DecisionLedger,
  DeliveryEntity,
  DeliveryReportEntity,
  DeliveryStore,
  EnvironmentDirectory,
  EnvironmentView,
  ReportStore,
  TaskStore,
  UpgradePackageStore,
} from '@sdo/persistence';
import { Actor, assertMayActFor, canSeeCustomer, customerFilterFor } from '../auth/actor';
import { Page } from '../infrastructure/paging';
import { ApiOptions, DEFAULT_API_OPTIONS } from '../infrastructure/api-options';
import { API_OPTIONS, SDO_CONFIG } from '../infrastructure/tokens';
import { invalidRequest } from '../infrastructure/validation';
import { DeliveryWorkflows, isTransientTemporalError } from './delivery-workflows';
import { LiveStatusCache } from './live-status-cache';
import type { AuditEntryDto, PendingDecisionDto, DeliveryDetailDto, DeliveryViewDto, ListDeliveriesQuery, ReportViewDto } from './dtos/delivery-view.dto';
import type { StartDeliveryDto } from './dtos/start-delivery.dto';
import { toPendingDecision } from './pending-decisions';
import { renderReportMarkdown } from './report-markdown';
import { requestFingerprint } from './request-fingerprint';

export interface StartOutcome {
  /** true: this request created the delivery (202); false: the same request was already made (200). */
  created: boolean;
  delivery: DeliveryViewDto;
}

/** Who the audit trail names when the API itself repairs or resolves something. */
const API_ACTOR = 'sdo-api';
const MAX_POLLED_DECISIONS = 20;
/** How long a read waits for the workflow when it has an earlier answer for the same row version to show. */
const LATE_ANSWER_WAIT_MS = 1_000;

@Injectable()
export class DeliveriesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeliveriesService');
  private readonly startRepairAfterMs: number;
  private readonly startRepairEveryMs: number;
  private readonly live: LiveStatusCache;
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly deliveries: DeliveryStore,
    private readonly environments: EnvironmentDirectory,
    private readonly packages: UpgradePackageStore,
    private readonly reports: ReportStore,
    private readonly audit: AuditTrail,
    private readonly decisions: DecisionLedger,
    private readonly workflows: DeliveryWorkflows,
    private readonly inbox: TaskStore,
    @Inject(SDO_CONFIG) private readonly config: SdoConfig,
    @Inject(API_OPTIONS) options: ApiOptions,
  ) {
    this.startRepairAfterMs = options.startRepairAfterMs ?? DEFAULT_API_OPTIONS.startRepairAfterMs;
    this.startRepairEveryMs = options.startRepairEveryMs ?? DEFAULT_API_OPTIONS.startRepairEveryMs;
    this.live = new LiveStatusCache(config.liveStatusMaxAgeMs ?? 0);
  }

  onApplicationBootstrap(): void {
    if (this.startRepairEveryMs <= 0) return;
    this.sweeper = setInterval(() => {
      this.repairStuckStarts().catch((err: unknown) =>
        this.logger.warn(`repairing unstarted deliveries failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    }, this.startRepairEveryMs);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /**
   * Claims the idempotency key, then starts the workflow. The claim comes first so two racing
   * requests cannot both start; the start uses USE_EXISTING so retrying the same request after a
   * crash between the two completes it.
   */
  async start(actor: Actor, idempotencyKey: string, dto: StartDeliveryDto): Promise<StartOutcome> {
    assertMayActFor(actor, dto.customerId);
    const flowCode = isCatalogFlowCode(dto.serviceType) ? dto.serviceType : undefined;
    const environments = dto.environments ?? {};
    // Automated services wait for a cutover window; catalog flows have none.
    const windowProblems: FieldProblem[] = flowCode
      ? dto.cutoverWindow
        ? [{ field: 'cutoverWindow', reason: `${dto.serviceType} is a catalog flow of tasks and has no cutover window` }]
        : []
      : dto.cutoverWindow
        ? []
        : [{ field: 'cutoverWindow', reason: `is required for ${dto.serviceType}` }];
    if (dto.concurrentHeavyWork?.mode === 'exclusive' && dto.concurrentHeavyWork.maxHolders !== undefined)
      windowProblems.push({ field: 'concurrentHeavyWork.maxHolders', reason: 'is allowed only with mode "shared"' });
    const environmentViews = await this.checkRequest({ ...dto, environments }, windowProblems);
    const concurrentHeavyWork: ConcurrentHeavyWork | null =
      dto.concurrentHeavyWork?.mode === 'shared' ? { mode: 'shared', maxHolders: dto.concurrentHeavyWork.maxHolders ?? DEFAULT_SHARED_HOLDERS } : null;
    // Both were checked to be `ms`-style durations (the DTO and loadConfig).
    const gatePolicy = (dto.gatePolicy ? { ...dto.gatePolicy } : { ...this.config.gates }) as GatePolicy;
    const cutoverWindow = dto.cutoverWindow
      ? { startsAt: new Date(dto.cutoverWindow.startsAt).toISOString(), durationMinutes: dto.cutoverWindow.durationMinutes }
      : null;
    const workflowId = deliveryWorkflowId(dto.serviceType, dto.customerId, dto.orderNo);
    const request = {
      serviceType: dto.serviceType,
      customerId: dto.customerId,
      orderNo: dto.orderNo,
      environments,
      parameters: dto.parameters,
      contractRef: dto.contractRef ?? null,
      cutoverWindow,
      gatePolicy: dto.gatePolicy ?? null,
      // Absent stays absent: fingerprints of requests without it do not change.
      customerTimeZone: dto.customerTimeZone,
      // Only when said: requests from before the setting keep their fingerprint.
      ...(dto.concurrentHeavyWork ? { concurrentHeavyWork: concurrentHeavyWork ?? { mode: 'exclusive' } } : {}),
    };

    const claim = await this.deliveries.claim({
      workflowId,
      idempotencyKey,
      requestFingerprint: requestFingerprint(request),
      serviceType: dto.serviceType,
      customerId: dto.customerId,
      orderNo: dto.orderNo,
      environments,
      parameters: dto.parameters,
      cutoverWindow,
      contractRef: dto.contractRef ?? null,
      customerTimeZone: dto.customerTimeZone ?? null,
      concurrentHeavyWork,
      createdBy: actor.name,
    });
    const visible = canSeeCustomer(actor, claim.delivery.customerId);
    if (claim.kind === 'key-reused') {
      throw new ConflictException({
        message: `Idempotency-Key "${idempotencyKey}" was already used for a different request${visible ? ` (delivery ${claim.delivery.id})` : ''}: use a new key for a new request.`,
        details: visible ? { deliveryId: claim.delivery.id } : undefined,
      });
    }
    if (claim.kind === 'order-taken') {
      throw new ConflictException({
        message: `Order ${dto.orderNo} already has a ${dto.serviceType} delivery${visible ? ` (${claim.delivery.id})` : ''} started with another Idempotency-Key.`,
        details: visible ? { deliveryId: claim.delivery.id } : undefined,
      });
    }

    const delivery = claim.delivery;
    if (claim.kind === 'created') {
      await this.audit.append({ deliveryId: delivery.id, actor: actor.name, action: 'delivery.requested', detail: { ...request, idempotencyKey } });
    }
    const input: DeliveryInput | CatalogFlowInput = flowCode
      ? {
          deliveryId: delivery.id,
          serviceType: flowCode,
          customerId: dto.customerId,
          orderNo: dto.orderNo,
          parameters: dto.parameters,
          ...withPackageValidity(withObligationMonth(flowPlan(flowCode, dto.parameters), this.config.obligationMonth), this.config.packageValidity),
          defaultAssignee: actor.name,
          gatePolicy,
          ...(dto.contractRef ? { contractRef: dto.contractRef } : {}),
        }
      : {
          deliveryId: delivery.id,
          serviceType: dto.serviceType,
          customerId: dto.customerId,
          orderNo: dto.orderNo,
          environments,
          parameters: dto.parameters,
          ...(dto.contractRef ? { contractRef: dto.contractRef } : {}),
          cutoverWindow: cutoverWindow!,
          gatePolicy,
        };
    const serviceName = serviceDisplayName(dto.serviceType);
    let started: { runId?: string; alreadyClosed: boolean };
    try {
      started = await this.workflows.start(
        workflowId,
        DELIVERY_WORKFLOW_TYPES[dto.serviceType],
        input,
        {
          deliveryId: delivery.id,
          customerId: dto.customerId,
          orderNo: dto.orderNo,
          service: serviceName,
          environments: Object.fromEntries(environmentViews.map(([role, env]) => [role, `${env.name} (${env.engine})`])),
          requestedBy: delivery.createdBy,
        },
        `${serviceName} · customer ${dto.customerId} · order ${dto.orderNo}`,
      );
    } catch (err) {
      // Temporal slow or down: the claim stays, and repeating the request (same key) completes the
      // start. Anything else will not get better by retrying: release the claim.
      if (!isTransientTemporalError(err)) await this.deliveries.release(delivery.id, actor.name, 'the workflow could not be started');
      throw err;
    }
    if (started.alreadyClosed && claim.kind === 'created') {
      // Temporal kept a closed run of this order from before the app database knew it: never rerun it.
      await this.deliveries.remove(delivery.id);
      throw new ConflictException({ message: `Order ${dto.orderNo} was already delivered (${workflowId} exists in Temporal): use a new order number.` });
    }
    if (await this.deliveries.markStarted(delivery.id)) {
      await this.audit.append({ deliveryId: delivery.id, actor: actor.name, action: 'delivery.started', detail: { workflowId, runId: started.runId } });
    }
    return { created: claim.kind === 'created', delivery: toDeliveryView(delivery) };
  }

  async list(actor: Actor, query: ListDeliveriesQuery): Promise<Page<DeliveryViewDto>> {
    const customerId = customerFilterFor(actor, query.customerId);
    if (customerId === null) return { items: [], total: 0, limit: query.limit, offset: query.offset };
    const { items, total } = await this.deliveries.list({
      serviceType: query.serviceType,
      customerId,
      phase: query.phase,
      awaiting: query.awaiting,
      limit: query.limit,
      offset: query.offset,
    });
    return { items: items.map(toDeliveryView), total, limit: query.limit, offset: query.offset };
  }

  /**
   * The app database's row plus what the workflow says about itself: asked with a query, or its
   * answer to an earlier read while the row is unchanged and that answer young (LiveStatusCache).
   */
  async get(actor: Actor, id: string): Promise<DeliveryDetailDto> {
    const delivery = await this.visible(actor, id);
    // While a decision is pending the workflow may take it at any moment: ask it on every read.
    const pending = await this.decisions.pending(delivery.id);
    const [live, pendingDecisions] = await Promise.all([this.liveStatus(delivery, pending.length === 0), this.resolvePendingDecisions(delivery, pending)]);
    const view = { ...toDeliveryView(delivery), pendingDecisions };
    if (!('status' in live)) return { ...view, live: null, liveUnavailable: live.unavailable };
    return live.asOf ? { ...view, live: live.status, liveAsOf: live.asOf.toISOString() } : { ...view, live: live.status };
  }

  /**
   * A busy worker answers a query late (at N = 50, 1 % of reads waited the whole 3 s and showed
   * no status). With an earlier answer for the same row version at hand, the read waits at most
   * LATE_ANSWER_WAIT_MS and shows that answer, with its time, instead.
   */
  private async liveStatus(delivery: DeliveryEntity, reuse: boolean): Promise<{ status: DeliveryStatus; asOf?: Date } | { unavailable: string }> {
    const ended = await this.finalStatusOf(delivery);
    if (ended) return { status: ended };
    const known = reuse ? this.live.get(delivery.workflowId, delivery.updatedAt) : undefined;
    if (known) return { status: known };
    const earlier = reuse ? this.live.lastAnswer(delivery.workflowId, delivery.updatedAt) : undefined;
    const live = await this.workflows.status(delivery.workflowId, earlier ? LATE_ANSWER_WAIT_MS : undefined);
    if (!('status' in live) && earlier) return { status: earlier.status, asOf: earlier.at };
    if ('status' in live && reuse) this.live.remember(delivery.workflowId, delivery.updatedAt, live.status);
    else this.live.forget(delivery.workflowId);
    if ('status' in live && TERMINAL_PHASES.includes(delivery.phase) && TERMINAL_PHASES.includes(live.status.phase))
      await this.keepFinalStatus(delivery, live.status);
    return live;
  }

  /**
   * An ended delivery's final status, as its workflow handed it over when it ended (or a read kept
   * it): served without asking Temporal, which deletes closed workflows after their retention.
   * Undefined while the delivery runs.
   */
  async finalStatusOf(delivery: DeliveryEntity): Promise<DeliveryStatus | undefined> {
    return TERMINAL_PHASES.includes(delivery.phase) ? this.deliveries.finalStatus(delivery.id) : undefined;
  }

  /** A delivery that ended before workflows handed their final status over: its workflow's answer is kept now. */
  private async keepFinalStatus(delivery: DeliveryEntity, status: DeliveryStatus): Promise<void> {
    await this.deliveries.keepFinalStatus(delivery.id, status).catch((err: unknown) => {
      // The read has its answer; the next read tries again.
      this.logger.warn(`delivery ${delivery.id}: final status not kept (${err instanceof Error ? err.message : String(err)})`);
    });
  }

  /** A decision went to the workflow: the next read asks it. */
  forgetLiveStatus(workflowId: string): void {
    this.live.forget(workflowId);
  }

  /**
   * Polls each pending decision's Update by ID and resolves (and audits) those the workflow has
   * answered; returns the ones still pending.
   */
  async resolvePendingDecisions(delivery: DeliveryEntity, known?: Awaited<ReturnType<DecisionLedger['pending']>>): Promise<PendingDecisionDto[]> {
    // Each poll waits up to a second (in parallel); a flood of pending decisions is polled a batch per read.
    const pending = known ?? (await this.decisions.pending(delivery.id));
    const still = await Promise.all(
      pending.map(async (decision, i) => {
        if (i >= MAX_POLLED_DECISIONS) return decision;
        // Decisions on cases and obligation tasks went to their own workflow.
        const outcome = await this.workflows.updateOutcome(decision.workflowId ?? delivery.workflowId, decision.id);
        if (outcome.kind === 'pending') return decision;
        if (outcome.kind === 'completed')
          await this.decisions.resolve(decision.id, { status: 'accepted', detail: outcome.status.phase ? { phase: outcome.status.phase } : {} });
        else await this.decisions.resolve(decision.id, { status: outcome.kind, reason: outcome.reason });
        // An obligation task completed late leaves the inbox now.
        if (outcome.kind === 'completed' && decision.action === 'obligation.task-completed' && typeof decision.arg['taskId'] === 'string')
          await this.inbox.closeObligationTask(delivery.id, decision.arg['taskId'], decision.actor, new Date());
        return undefined;
      }),
    );
    return still.filter((d): d is NonNullable<typeof d> => d !== undefined).map(toPendingDecision);
  }

  /**
   * Claims whose workflow never started (the start failed, or the API died between claim and
   * start), older than the repair delay: marked started when Temporal has their workflow,
   * released otherwise (the order number and key can be used again). Skipped while Temporal is
   * unreachable. Returns the IDs released.
   */
  async repairStuckStarts(): Promise<string[]> {
    const released: string[] = [];
    for (const delivery of await this.deliveries.unstarted(new Date(Date.now() - this.startRepairAfterMs))) {
      if ((await this.repairStart(delivery)) === 'released') released.push(delivery.id);
    }
    return released;
  }

  private async repairStart(delivery: DeliveryEntity): Promise<'started' | 'released' | 'unknown'> {
    let found: Awaited<ReturnType<DeliveryWorkflows['startedFor']>>;
    try {
      found = await this.workflows.startedFor(delivery.workflowId);
    } catch {
      return 'unknown';
    }
    // A run of this ID is this delivery's unless its memo names another one (a run from before
    // the app database knew the order); runs started outside the API have no memo.
    if (found && (found.deliveryId === undefined || found.deliveryId === delivery.id)) {
      if (await this.deliveries.markStarted(delivery.id)) {
        await this.audit.append({
          deliveryId: delivery.id,
          actor: API_ACTOR,
          action: 'delivery.started',
          detail: { workflowId: delivery.workflowId, runId: found.runId, repaired: true },
        });
      }
      return 'started';
    }
    const reason = found
      ? 'its workflow ID belongs to another run'
      : `its workflow was not started within ${Math.round(this.startRepairAfterMs / 1000)} s of the request`;
    return (await this.deliveries.release(delivery.id, API_ACTOR, reason)) ? 'released' : 'unknown';
  }

  async listReports(actor: Actor, id: string): Promise<ReportViewDto[]> {
    await this.visible(actor, id);
    return (await this.reports.listForDelivery(id)).map((r) => toReportView(r, false));
  }

  async getReport(actor: Actor, id: string, reportId: string): Promise<ReportViewDto> {
    await this.visible(actor, id);
    return toReportView(await this.report(id, reportId), true);
  }

  async getReportMarkdown(actor: Actor, id: string, reportId: string): Promise<string> {
    const delivery = await this.visible(actor, id);
    const report = await this.report(id, reportId);
    return renderReportMarkdown(report, { serviceName: serviceDisplayName(delivery.serviceType), customerId: delivery.customerId, orderNo: delivery.orderNo });
  }

  async auditTrail(actor: Actor, id: string): Promise<AuditEntryDto[]> {
    await this.resolvePendingDecisions(await this.visible(actor, id));
    return (await this.audit.listForDelivery(id)).map((e) => ({ id: e.id, actor: e.actor, action: e.action, detail: e.detail, at: e.at }));
  }

  /** The delivery if this caller may see it; 404 otherwise (as if it did not exist). */
  async visible(actor: Actor, id: string): Promise<DeliveryEntity> {
    const delivery = await this.deliveries.find(id);
    if (!delivery || !canSeeCustomer(actor, delivery.customerId)) throw new NotFoundException({ message: `Delivery ${id} does not exist.` });
    // A claim stuck without its workflow is repaired (or released, and then it is gone) when read.
    if (!delivery.startedAt && Date.now() - delivery.createdAt.getTime() > this.startRepairAfterMs && (await this.repairStart(delivery)) === 'released') {
      throw new NotFoundException({ message: `Delivery ${id} does not exist (its workflow never started, so it was released).` });
    }
    return delivery;
  }

  private async report(deliveryId: string, reportId: string): Promise<DeliveryReportEntity> {
    const report = await this.reports.get(reportId);
    if (!report || report.deliveryId !== deliveryId) throw new NotFoundException({ message: `Report ${reportId} does not exist for delivery ${deliveryId}.` });
    return report;
  }

  /**
   * Everything about a start request that needs the catalog or the app database: the service is
   * automated, its parameters are valid, and the environments exist, belong to the customer,
   * cover exactly the roles the service needs and run an engine it can work on.
   */
  async checkRequest(
    dto: Pick<StartDeliveryDto, 'serviceType' | 'customerId' | 'parameters'> & { environments: Record<string, string> },
    otherProblems: FieldProblem[] = [],
  ): Promise<[string, EnvironmentView][]> {
    const service = catalogService(dto.serviceType);
    const problems: FieldProblem[] = [...otherProblems];
    const parameters = validateParameters(service.parameters, dto.parameters);
    if (!parameters.ok) problems.push(...parameters.problems);
    else if (isCatalogFlowCode(dto.serviceType))
      problems.push(...flowParameterProblems(dto.serviceType, dto.parameters, new Date().toISOString().slice(0, 10)));
    else problems.push(...(await this.checkReferences(dto.serviceType, dto.parameters)));

    const roles = new Map(service.environmentRoles.map((r) => [r.role as string, r]));
    const found: [string, EnvironmentView][] = [];
    for (const spec of service.environmentRoles) {
      if (!(spec.role in dto.environments)) problems.push({ field: `environments.${spec.role}`, reason: `is required: ${spec.description.toLowerCase()}` });
    }
    for (const [role, environmentId] of Object.entries(dto.environments)) {
      const spec = roles.get(role);
      if (!spec) {
        problems.push({ field: `environments.${role}`, reason: `is not a role of ${dto.serviceType} (roles: ${[...roles.keys()].join(', ')})` });
        continue;
      }
      const environment = await this.environments.find(environmentId);
      if (!environment || environment.customerId !== dto.customerId) {
        problems.push({ field: `environments.${role}`, reason: `environment ${environmentId} is not registered for customer ${dto.customerId}` });
      } else if (!spec.engines.includes(environment.engine)) {
        problems.push({
          field: `environments.${role}`,
          reason: `is a ${environment.engine} database; ${dto.serviceType} needs ${spec.engines.join(' or ')} as ${role}`,
        });
      } else {
        found.push([role, environment]);
      }
    }
    const source = found.find(([role]) => role === 'source')?.[1];
    if (dto.serviceType === 'data-migration' && parameters.ok && source) problems.push(...(await querySourceProblems(dto.parameters, source.engine)));
    if (new Set(Object.values(dto.environments)).size !== Object.keys(dto.environments).length) {
      problems.push({ field: 'environments', reason: 'must name a different environment for each role' });
    }
    if (problems.length) throw invalidRequest(problems);
    await this.checkChildService(dto);
    return found;
  }

  /** A catalog step's child service (信创's database conversion) is checked as its own start would be, its fields named under `parameters.conversion`. */
  private async checkChildService(dto: Pick<StartDeliveryDto, 'serviceType' | 'customerId' | 'parameters'>): Promise<void> {
    const request = dto.parameters['conversion'] as { environments: Record<string, unknown>; parameters: Record<string, unknown> } | undefined;
    const child = isCatalogFlowCode(dto.serviceType) ? flowProduct(dto.serviceType).obligations.find((o) => o.kind === 'child-service') : undefined;
    const serviceType = child?.settings?.['serviceType'];
    if (!request || !isServiceType(serviceType)) return;
    const notIds = Object.entries(request.environments)
      .filter(([, id]) => typeof id !== 'string' || !isUUID(id))
      .map(([role]) => ({ field: `parameters.conversion.environments.${role}`, reason: 'must be an environment ID (UUID)' }));
    if (notIds.length) throw invalidRequest(notIds);
    try {
      await this.checkRequest({
        serviceType,
        customerId: dto.customerId,
        environments: request.environments as Record<string, string>,
        parameters: request.parameters,
      });
    } catch (err) {
      const details = (err as { getResponse?: () => { details?: FieldProblem[] } }).getResponse?.().details;
      if (!details) throw err;
      throw invalidRequest(details.map((d) => ({ field: `parameters.conversion.${d.field}`, reason: d.reason })));
    }
  }

  /** References inside a service's parameters that must exist in the app database. */
  private async checkReferences(serviceType: ServiceType, parameters: Record<string, unknown>): Promise<FieldProblem[]> {
    if (serviceType === 'upgrade') {
      const packageId = String(parameters['packageId']);
      if (!(await this.packages.find(packageId))) {
        return [{ field: 'parameters.packageId', reason: `upgrade package ${packageId} is not registered (POST /v1/upgrade-packages)` }];
      }
    }
    return [];
  }
}

/**
 * A migration's query sources parsed as the worker will vet them at assessment (PostgreSQL's parser,
 * one SELECT, listed functions only), against the engine of the source environment.
 */
async function querySourceProblems(parameters: Record<string, unknown>, engine: EnvironmentView['engine']): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const mappings = (parameters as unknown as DataMigrationParameters).mappings;
  for (const [i, m] of mappings.entries()) {
    if (!isQuerySource(m.source)) continue;
    const reason = await sourceQueryProblem(m.source.query, engine);
    if (reason) problems.push({ field: `parameters.mappings.${i}.source.query`, reason });
  }
  return problems;
}

export function toDeliveryView(d: DeliveryEntity): DeliveryViewDto {
  return {
    id: d.id,
    workflowId: d.workflowId,
    serviceType: d.serviceType,
    serviceName: serviceDisplayName(d.serviceType),
    customerId: d.customerId,
    orderNo: d.orderNo,
    environments: d.environments,
    parameters: d.parameters,
    cutoverWindow: d.cutoverWindow,
    contractRef: d.contractRef,
    customerTimeZone: d.customerTimeZone,
    phase: d.phase,
    step: d.step,
    progress: d.progress,
    awaiting: d.awaiting,
    lastFailure: d.lastFailure,
    cancelReason: d.cancelReason,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

function toReportView(r: DeliveryReportEntity, withBody: boolean): ReportViewDto {
  return {
    id: r.id,
    deliveryId: r.deliveryId,
    kind: r.kind,
    revision: r.revision,
    summary: r.summary,
    ...(withBody ? { body: r.body } : {}),
    createdAt: r.createdAt,
  };
}

/** A configured package validity (SDO_PACKAGE_VALIDITY, for demos and tests) travels with the person-day allowance. */
function withPackageValidity<P extends { personDays?: PersonDayAllowance }>(plan: P, validity: string | undefined): P {
  return validity && plan.personDays ? { ...plan, personDays: { ...plan.personDays, closesAfter: validity } } : plan;
}

/** A configured "month" (SDO_OBLIGATION_MONTH, for demos and tests) travels in the obligations' settings. */
function withObligationMonth<P extends { obligations: { settings?: Record<string, unknown> }[] }>(plan: P, month: string): P {
  if (month === 'month') return plan;
  return { ...plan, obligations: plan.obligations.map((o) => ({ ...o, settings: { ...(o.settings ?? {}), periodLength: month } })) };
}
