import { DataSource, Repository } from 'typeorm';
import { AuditEntryEntity } from '../entities/audit-entry.entity';
import { DecisionStatus, DeliveryDecisionEntity } from '../entities/delivery-decision.entity';

export interface NewDecision {
  /** The Workflow Update's ID. */
  id: string;
  deliveryId: string;
  action: string;
  actor: string;
  arg: Record<string, unknown>;
  /** The workflow the Update goes to, when not the delivery's own. */
  workflowId?: string;
}

export type DecisionOutcome =
  { status: 'accepted'; detail: Record<string, unknown> } | { status: 'refused'; reason: string } | { status: 'lost'; reason: string };

/**
 * Gate decisions and their audit entries. A decision is recorded before its Update is sent and
 * resolved once: whoever flips it from pending writes its audit entry, in the same transaction
 * (and `uq_audit_decision` keeps a second entry out even then).
 */
export class DecisionLedger {
  private readonly repo: Repository<DeliveryDecisionEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(DeliveryDecisionEntity);
  }

  async open(decision: NewDecision): Promise<DeliveryDecisionEntity> {
    return this.repo.save(this.repo.create({ ...decision, status: 'pending' }));
  }

  /** For an Update that certainly never reached the workflow (it is not running): nothing happened. */
  async discard(id: string): Promise<void> {
    await this.repo.delete({ id, status: 'pending' });
  }

  async pending(deliveryId: string): Promise<DeliveryDecisionEntity[]> {
    return this.repo.find({ where: { deliveryId, status: 'pending' }, order: { createdAt: 'ASC' } });
  }

  async find(id: string): Promise<DeliveryDecisionEntity | undefined> {
    return (await this.repo.findOneBy({ id })) ?? undefined;
  }

  /**
   * Resolves a pending decision and writes its audit entry (`<action>` when accepted,
   * `<action>.refused` / `<action>.lost` otherwise). Returns false when it was already resolved.
   */
  async resolve(id: string, outcome: DecisionOutcome): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const detail = outcome.status === 'accepted' ? outcome.detail : { reason: outcome.reason };
      const [rows] = (await tx.query(
        `UPDATE delivery_decisions SET status = $2, outcome = $3, resolved_at = now() WHERE id = $1 AND status = 'pending' RETURNING delivery_id, action, actor, arg`,
        [id, outcome.status satisfies DecisionStatus, detail],
      )) as [{ delivery_id: string; action: string; actor: string; arg: Record<string, unknown> }[], number];
      const decision = rows[0];
      if (!decision) return false;
      const action = outcome.status === 'accepted' ? decision.action : `${decision.action}.${outcome.status}`;
      await tx
        .createQueryBuilder()
        .insert()
        .into(AuditEntryEntity)
        .values({ deliveryId: decision.delivery_id, actor: decision.actor, action, detail: { ...decision.arg, ...detail, updateId: id }, decisionId: id })
        .orIgnore()
        .execute();
      return true;
    });
  }
}
