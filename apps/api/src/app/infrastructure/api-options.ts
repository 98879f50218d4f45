import type { DestinationStream } from 'pino';
import type { ResolveHost } from '@sdo/persistence';

/** Knobs of the API process that are not deployment configuration (tests turn them). */
export interface ApiOptions {
  /** Where logs go; stdout when absent. */
  logDestination?: DestinationStream;
  /** Requests per identity (or per client address when anonymous) in each window; default 600 a minute. */
  rateLimit?: { limit: number; windowMs: number };
  /** Largest request body accepted; default 4 MB (upgrade packages carry their SQL). */
  bodyLimit?: string;
  /** How long a request waits on Temporal before answering 503/504; default 10 s. */
  temporalTimeoutMs?: number;
  /** How the environment policy resolves host names; the OS resolver when absent (tests swap DNS answers). */
  resolveHost?: ResolveHost;
}

export const DEFAULT_API_OPTIONS = {
  rateLimit: { limit: 600, windowMs: 60_000 },
  bodyLimit: '4mb',
  temporalTimeoutMs: 10_000,
} as const;
