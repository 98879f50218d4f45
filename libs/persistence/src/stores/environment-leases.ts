import { DataSource } from 'typeorm';

export interface LeaseClaim {
  /** The environments (or scratch databases) the work reads or writes. */
  environmentRefs: string[];
  /** Whose work it is: a delivery's workflow ID. Its activities share the lease (parallel copy lanes). */
  holder: string;
  /** This piece of work (an activity attempt): the lease lasts while any claim of the holder is live. */
  claim: string;
  /** A claim not renewed within this long is dead (its worker crashed) and no longer counts. */
  ttlMs: number;
}

export type LeaseOutcome = { granted: true } | { granted: false; heldBy: string; environmentRef: string };

/**
 * Per-environment leases in the app database, so two deliveries never run heavy work on one
 * customer database at once, across every worker process. Durable (rows, not memory): a claim is
 * renewed while its work runs, released when it ends, fails or is cancelled, and expires on its
 * own if its worker dies. Claims of the same holder do not exclude each other.
 */
export class EnvironmentLeases {
  constructor(private readonly dataSource: DataSource) {}

  /** Grants all environments or none (no delivery holds one while waiting for another). */
  async tryAcquire({ environmentRefs, holder, claim, ttlMs }: LeaseClaim): Promise<LeaseOutcome> {
    const refs = [...new Set(environmentRefs)].sort();
    if (!refs.length) return { granted: true };
    return this.dataSource.transaction(async (m) => {
      // Serialises check-and-insert per environment; sorted, so two claimants never deadlock.
      for (const ref of refs) await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('sdo-environment-lease:' || $1, 0))`, [ref]);
      await m.query(`DELETE FROM environment_leases WHERE environment_ref = ANY($1) AND expires_at < now()`, [refs]);
      const held: { environment_ref: string; holder: string }[] = await m.query(
        `SELECT environment_ref, holder FROM environment_leases WHERE environment_ref = ANY($1) AND holder <> $2 ORDER BY acquired_at LIMIT 1`,
        [refs, holder],
      );
      if (held[0]) return { granted: false, heldBy: held[0].holder, environmentRef: held[0].environment_ref };
      await m.query(
        `INSERT INTO environment_leases (environment_ref, holder, claim, expires_at)
         SELECT ref, $2, $3, now() + make_interval(secs => $4) FROM unnest($1::text[]) AS ref
         ON CONFLICT (environment_ref, holder, claim) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
        [refs, holder, claim, ttlMs / 1000],
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
