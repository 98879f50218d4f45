import { DataSource, FindOptionsWhere, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import {
  type ConcurrentHeavyWork,
  DeliveryError,
  DeliveryFailureType,
  DeliveryPhase,
  DeliveryStateRecord,
  DeliveryStatus,
  EXCLUSIVE_HEAVY_WORK,
  GateName,
  ServiceType,
} from '@sdo/contracts';
import { AuditEntryEntity } from '../entities/audit-entry.entity';
import { DeliveryEntity } from '../entities/delivery.entity';
import { DeliveryFinalStatusEntity } from '../entities/delivery-final-status.entity';
import { jsonbText } from '../jsonb';

export type NewDelivery = Pick<
  DeliveryEntity,
  | 'workflowId'
  | 'idempotencyKey'
  | 'requestFingerprint'
  | 'serviceType'
  | 'customerId'
  | 'orderNo'
  | 'environments'
  | 'parameters'
  | 'cutoverWindow'
  | 'contractRef'
  | 'createdBy'
> &
  Partial<Pick<DeliveryEntity, 'customerTimeZone' | 'concurrentHeavyWork'>>;

export type ClaimResult =
  | { kind: 'created'; delivery: DeliveryEntity }
  | { kind: 'existing'; delivery: DeliveryEntity }
  | { kind: 'key-reused'; delivery: DeliveryEntity }
  | { kind: 'order-taken'; delivery: DeliveryEntity };

export interface DeliveryFilter {
  serviceType?: ServiceType;
  customerId?: string;
  phase?: DeliveryPhase;
  awaiting?: GateName;
  limit: number;
  offset: number;
}

export class DeliveryStore {
  private readonly repo: Repository<DeliveryEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(DeliveryEntity);
  }

  /**
   * Records a start request once per idempotency key. A repeated key with the same request
   * returns the existing delivery; with a different request, or for an order that already has
   * a delivery under another key, it is refused.
   */
  async claim(request: NewDelivery): Promise<ClaimResult> {
    const inserted = await this.repo
      .createQueryBuilder()
      .insert()
      .values({ ...request, phase: 'assessment', step: 'starting' } as QueryDeepPartialEntity<DeliveryEntity>)
      .orIgnore()
      .returning('*')
      .execute();
    if (inserted.raw.length) {
      return { kind: 'created', delivery: await this.repo.findOneByOrFail({ id: inserted.raw[0].id }) };
    }
    // Keys and order numbers are the customer's own: only its own deliveries can collide.
    const byKey = await this.repo.findOneBy({ customerId: request.customerId, idempotencyKey: request.idempotencyKey });
    if (byKey) return { kind: byKey.requestFingerprint === request.requestFingerprint ? 'existing' : 'key-reused', delivery: byKey };
    const byOrder = await this.repo.findOneBy({ customerId: request.customerId, serviceType: request.serviceType, orderNo: request.orderNo });
    return { kind: 'order-taken', delivery: byOrder ?? (await this.repo.findOneByOrFail({ workflowId: request.workflowId })) };
  }

  /** What a delivery's order allows for heavy work on its environments (exclusive when not said, or no such delivery). */
  async concurrentHeavyWorkOf(workflowId: string): Promise<ConcurrentHeavyWork> {
    const row = await this.repo.findOne({ where: { workflowId }, select: { id: true, concurrentHeavyWork: true } });
    return row?.concurrentHeavyWork ?? EXCLUSIVE_HEAVY_WORK;
  }

  async remove(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** Marks the workflow started; true only for the call that marked it (so `delivery.started` is audited once). */
  async markStarted(id: string): Promise<boolean> {
    const [rows] = (await this.dataSource.query(`UPDATE deliveries SET started_at = now() WHERE id = $1 AND started_at IS NULL RETURNING id`, [id])) as [
      unknown[],
      number,
    ];
    return rows.length > 0;
  }

  /** Claims whose workflow was never marked started, made before `cutoff` (a start failed or the API died). */
  async unstarted(cutoff: Date, limit = 100): Promise<DeliveryEntity[]> {
    return this.repo
      .createQueryBuilder('d')
      .where('d.started_at IS NULL AND d.created_at < :cutoff', { cutoff })
      .orderBy('d.created_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Releases a claim whose workflow never started: the row goes (its order number and key can be
   * used again) and a global audit entry keeps what was requested. Only while still unstarted.
   */
  async release(id: string, actor: string, reason: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const [rows] = (await tx.query(`DELETE FROM deliveries WHERE id = $1 AND started_at IS NULL RETURNING *`, [id])) as [Record<string, unknown>[], number];
      const row = rows[0];
      if (!row) return false;
      const audit = tx.getRepository(AuditEntryEntity);
      await audit.save(
        audit.create({
          deliveryId: null,
          actor,
          action: 'delivery.released',
          detail: {
            deliveryId: id,
            reason,
            workflowId: row['workflow_id'],
            customerId: row['customer_id'],
            orderNo: row['order_no'],
            serviceType: row['service_type'],
            idempotencyKey: row['idempotency_key'],
          },
        }),
      );
      return true;
    });
  }

  async find(id: string): Promise<DeliveryEntity | undefined> {
    return (await this.repo.findOneBy({ id })) ?? undefined;
  }

  async list(filter: DeliveryFilter): Promise<{ items: DeliveryEntity[]; total: number }> {
    const where: FindOptionsWhere<DeliveryEntity> = {};
    if (filter.serviceType) where.serviceType = filter.serviceType;
    if (filter.customerId) where.customerId = filter.customerId;
    if (filter.phase) where.phase = filter.phase;
    if (filter.awaiting) where.awaiting = filter.awaiting;
    const [items, total] = await this.repo.findAndCount({ where, order: { createdAt: 'DESC' }, take: filter.limit, skip: filter.offset });
    return { items, total };
  }

  /** The workflow's state mirror and its audit entry, in one transaction. */
  async recordState(record: DeliveryStateRecord): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const updated = await tx.getRepository(DeliveryEntity).update({ id: record.deliveryId }, {
        phase: record.phase,
        step: record.step,
        progress: record.progress,
        awaiting: record.awaiting,
        lastFailure: record.failure ?? null,
        // A manager's amendment the workflow took: lists show what the delivery now works on.
        ...(record.amended ? { parameters: record.amended.parameters, environments: record.amended.environments } : {}),
      } as QueryDeepPartialEntity<DeliveryEntity>);
      if (!updated.affected) {
        // Retrying cannot help: the workflow was started outside the API (e.g. by hand in the Temporal UI).
        throw new DeliveryError(
          DeliveryFailureType.InvalidParameters,
          `Delivery ${record.deliveryId} is not registered in the SDO database: start deliveries through POST /v1/deliveries.`,
        );
      }
      // A retried record writes the same status again.
      if (record.finalStatus) await saveFinalStatus(tx, record.deliveryId, record.finalStatus, 'replace');
      const audit = tx.getRepository(AuditEntryEntity);
      await audit.save(
        audit.create({
          deliveryId: record.deliveryId,
          actor: record.actor ?? 'workflow',
          action: `phase.${record.phase}`,
          detail: {
            step: record.step,
            progress: record.progress,
            awaiting: record.awaiting,
            note: record.note,
            ...(record.failure ? { failure: record.failure } : {}),
            ...(record.amended ? { amended: record.amended } : {}),
          },
        }),
      );
    });
  }

  /** The status the delivery's workflow answered when it ended; undefined while it runs (or if it ended before SDO kept them). */
  async finalStatus(id: string): Promise<DeliveryStatus | undefined> {
    return (await this.dataSource.getRepository(DeliveryFinalStatusEntity).findOneBy({ deliveryId: id }))?.status;
  }

  /**
   * Keeps the final status of a delivery that ended before workflows handed theirs over, as its
   * workflow answered a read (the caller checks that row and answer have both ended); never over
   * one already kept.
   */
  async keepFinalStatus(id: string, status: DeliveryStatus): Promise<void> {
    await saveFinalStatus(this.dataSource, id, status, 'keep');
  }

  async recordCancelRequest(id: string, reason: string): Promise<void> {
    await this.repo.update({ id }, { cancelReason: reason });
  }
}

/** An ended delivery's final status: the workflow's own replaces what is there, a read's late copy keeps it. */
async function saveFinalStatus(db: Pick<DataSource, 'query'>, id: string, status: DeliveryStatus, existing: 'replace' | 'keep'): Promise<void> {
  const onConflict = existing === 'replace' ? 'DO UPDATE SET status = EXCLUDED.status, recorded_at = now()' : 'DO NOTHING';
  await db.query(`INSERT INTO delivery_final_status (delivery_id, status) VALUES ($1, $2::jsonb) ON CONFLICT (delivery_id) ${onConflict}`, [
    id,
    jsonbText(status),
  ]);
}
