import { DataSource } from 'typeorm';
import { type ConcurrentHeavyWork, EXCLUSIVE_HEAVY_WORK } from '@sdo/contracts';

export interface LeaseClaim {
  /** The environments (or scratch databases) the work reads or writes. */
  environmentRefs: string[];
  /** Whose work it is: a delivery's workflow ID. Its activities share the lease (parallel copy lanes). */
  holder: string;
  /** This piece of work (an activity attempt): the lease lasts while any claim of the holder is live. */
  claim: string;
  /** A claim not renewed within this long is dead (its worker crashed) and no longer counts. */
  ttlMs: number;
  /** What the holder's order allows (default exclusive). */
  sharing?: ConcurrentHeavyWork;
}

export type LeaseOutcome = { granted: true } | { granted: false; heldBy: string; environmentRef: string };

/**
 * Per-environment leases in the app database, so two deliveries never run heavy work on one
 * customer database at once — unless both orders allow sharing — across every worker process.
 * Durable (rows, not memory): a claim is renewed while its work runs, released when it ends,
 * fails or is cancelled, and expires on its own if its worker dies. Claims of the same holder do
 * not exclude each other. The rules, per environment:
 * - an exclusive claim is granted only when no other holder has a live claim;
 * - a shared claim is granted when every other holder shares too, and the holders (it included)
 *   number no more than the smallest `maxHolders` among them.
 */
export class EnvironmentLeases {
  constructor(private readonly dataSource: DataSource) {}

  /** Grants all environments or none (no delivery holds one while waiting for another). */
  async tryAcquire({ environmentRefs, holder, claim, ttlMs, sharing = EXCLUSIVE_HEAVY_WORK }: LeaseClaim): Promise<LeaseOutcome> {
    const refs = [...new Set(environmentRefs)].sort();
    if (!refs.length) return { granted: true };
    return this.dataSource.transaction(async (m) => {
      // Serialises check-and-insert per environment; sorted, so two claimants never deadlock.
      for (const ref of refs) await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('sdo-environment-lease:' || $1, 0))`, [ref]);
      await m.query(`DELETE FROM environment_leases WHERE environment_ref = ANY($1) AND expires_at < now()`, [refs]);
      const held: { environment_ref: string; holder: string; shared: boolean; max_holders: number }[] = await m.query(
        `SELECT environment_ref, holder, bool_and(shared) AS shared, min(max_holders) AS max_holders, min(acquired_at) AS since
           FROM environment_leases WHERE environment_ref = ANY($1) AND holder <> $2
          GROUP BY environment_ref, holder ORDER BY since`,
        [refs, holder],
      );
      const refusal = sharingRefusal(sharing, held);
      if (refusal) return { granted: false, heldBy: refusal.holder, environmentRef: refusal.environment_ref };
      const shared = sharing.mode === 'shared';
      await m.query(
        `INSERT INTO environment_leases (environment_ref, holder, claim, expires_at, shared, max_holders)
         SELECT ref, $2, $3, now() + make_interval(secs => $4), $5, $6 FROM unnest($1::text[]) AS ref
         ON CONFLICT (environment_ref, holder, claim) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
        [refs, holder, claim, ttlMs / 1000, shared, shared ? sharing.maxHolders : 1],
      );
      return { granted: true };
    });
  }

  /** Keeps a live claim from expiring; false when it had already expired (its rows are gone). */
  async renew(holder: string, claim: string, ttlMs: number): Promise<boolean> {
    const [, count] = (await this.dataSource.query(
      `UPDATE environment_leases SET expires_at = now() + make_interval(secs => $3) WHERE holder = $1 AND claim = $2`,
      [holder, claim, ttlMs / 1000],
    )) as [unknown, number];
    return count > 0;
  }

  async release(holder: string, claim: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM environment_leases WHERE holder = $1 AND claim = $2`, [holder, claim]);
  }

  /** Who holds an environment now (live claims only), e.g. to say why a delivery waits. */
  async holders(environmentRef: string): Promise<string[]> {
    const rows: { holder: string }[] = await this.dataSource.query(
      `SELECT DISTINCT holder FROM environment_leases WHERE environment_ref = $1 AND expires_at >= now() ORDER BY holder`,
      [environmentRef],
    );
    return rows.map((r) => r.holder);
  }
}

/** The other holder that keeps this claim out, if any (see EnvironmentLeases for the rules). */
export function sharingRefusal<H extends { environment_ref: string; holder: string; shared: boolean; max_holders: number }>(
  sharing: ConcurrentHeavyWork,
  others: H[],
): H | undefined {
  if (sharing.mode === 'exclusive') return others[0];
  const exclusive = others.find((o) => !o.shared);
  if (exclusive) return exclusive;
  const byRef = new Map<string, H[]>();
  for (const o of others) byRef.set(o.environment_ref, [...(byRef.get(o.environment_ref) ?? []), o]);
  for (const holders of byRef.values()) {
    const limit = Math.min(sharing.maxHolders, ...holders.map((h) => Number(h.max_holders)));
    if (holders.length + 1 > limit) return holders[0];
  }
  return undefined;
}
