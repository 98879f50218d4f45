import type { DestinationStream } from 'pino';
import type { ResolveHost } from '@sdo/persistence';

/** Knobs of the API process that are not deployment configuration (tests turn them). */
export interface ApiOptions {
  /** Where logs go; stdout when absent. */
  logDestination?: DestinationStream;
  /**
   * Requests per identity in each window (default 600 a minute), and per client address for
   * requests that prove no identity (default 60).
   */
  rateLimit?: { limit?: number; anonymousLimit?: number; windowMs?: number };
  /** Largest request body accepted; default 4 MB (upgrade packages carry their SQL). */
  bodyLimit?: string;
  /** How long a request waits on Temporal before answering 503 (or 202 for a gate decision no worker took); default 10 s. */
  temporalTimeoutMs?: number;
  /** A claimed delivery whose workflow has not started this long after the claim is repaired or released; default 5 minutes. */
  startRepairAfterMs?: number;
  /** How often the API looks for such claims; default every minute, 0 never (reads still repair the delivery they read). */
  startRepairEveryMs?: number;
  /** How the environment policy resolves host names; the OS resolver when absent (tests swap DNS answers). */
  resolveHost?: ResolveHost;
  /** The console's production build served at `/`; dist/apps/console when absent, `false` for none. */
  consoleDir?: string | false;
  /** How often `GET /v1/deliveries/:id/events` looks at the delivery; default every second. */
  eventsEveryMs?: number;
}

export const DEFAULT_API_OPTIONS = {
  rateLimit: { limit: 600, anonymousLimit: 60, windowMs: 60_000 },
  bodyLimit: '4mb',
  temporalTimeoutMs: 10_000,
  startRepairAfterMs: 5 * 60_000,
  startRepairEveryMs: 60_000,
  eventsEveryMs: 1_000,
} as const;
