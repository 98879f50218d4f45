import { DELIVERY_TASK_QUEUE, WORK_KINDS, WorkKind } from '@sdo/contracts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePayloadKeys, type PayloadKeyRing } from './payload-codec';

/**
 * SDO's configuration, read from the environment once at start. Every problem is reported
 * together, naming the variable, and the process refuses to start.
 */
export interface SdoConfig {
  api: { host: string; port: number };
  databaseUrl: string;
  secretsKey: string;
  /** Seal every Temporal payload (`SDO_PAYLOAD_KEYS`, the first key current; see payload-codec). */
  payloadKeys: PayloadKeyRing;
  temporal: {
    address: string;
    namespace: string;
    /** Queue the API starts deliveries on and the worker polls (one per SDO installation). */
    taskQueue: string;
    /** Present for TLS / mTLS (Temporal Cloud or a secured cluster). */
    tls?: { serverName?: string; clientCertPath?: string; clientKeyPath?: string; serverRootCaPath?: string };
    apiKey?: string;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Defaults for deliveries that do not say how their gates remind and escalate. */
  gates: { reminderEvery: string; escalateAfter: string };
  /** How long an assessment retries an unreachable server (`SDO_ASSESSMENT_RETRY_BUDGET`) before the delivery fails with the reason. */
  assessmentRetryBudget: string;
  /** How long a "month" of resident services and O&M lasts (`SDO_OBLIGATION_MONTH`): `month` (calendar months) or a duration, for demos and tests. */
  obligationMonth: string;
  /** `SDO_PACKAGE_VALIDITY`, for demos and tests: an on-site package closes this long after its visits start instead of at the end of `validUntil`. */
  packageValidity?: string;
  /** Who may call the control API (`SDO_API_TOKENS`); empty for processes that serve no API. */
  apiTokens: ApiTokenConfig[];
  /** The only directory SQLite environments may name files in (`SDO_SQLITE_DIR`), absolute. */
  sqliteDir: string;
  /** Where the console links a delivery's workflow (`SDO_TEMPORAL_UI_URL`, e.g. http://127.0.0.1:8233); no link when absent. */
  temporalUiUrl?: string;
  /** Where webhooks may point: plain http only when allowed, internal addresses only when allow-listed. */
  webhooks: { allowHttp: boolean; allowedAddresses: string[] };
  /** Gate mails over SMTP (`SDO_SMTP_URL`); off when absent. The URL may hold the SMTP password: never log it. */
  mail?: { smtpUrl: string; from: string };
  /** The Temporal Web UI's origin (`SDO_CODEC_CORS_ORIGIN`, e.g. http://127.0.0.1:8233): the one origin the codec server answers browsers from. */
  codecCorsOrigin?: string;
  /** Prometheus endpoints (`SDO_API_METRICS_PORT`, `SDO_WORKER_METRICS_PORT`; host `SDO_METRICS_HOST`); absent: no metrics server. */
  metrics: { host: string; apiPort?: number; workerPort?: number };
  /** OTLP/HTTP traces endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); absent: no export. */
  otlpTracesEndpoint?: string;
  /**
   * Which task queues a worker process serves and how many activities of each it runs at once
   * (`SDO_WORKER_QUEUES`, `SDO_ORCHESTRATION_SLOTS`, `SDO_DATA_SLOTS`); see `WorkKind` in contracts.
   */
  worker: { queues: WorkKind[]; orchestrationSlots: number; dataSlots: number };
  /** How long the API reuses a delivery's live status while its row is unchanged (0: query every read). */
  liveStatusMaxAgeMs?: number;
}

/**
 * What an API caller may do: viewers read; managers also start and steer deliveries; engineers also read
 * Temporal payloads through the codec server; admins also register environments and packages.
 */
export const API_ROLES = ['viewer', 'manager', 'engineer', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/**
 * One API identity. Only the token's sha256 is kept, so the configuration object never holds a
 * usable credential. `customerId` confines the identity to one customer's data.
 */
export interface ApiTokenConfig {
  name: string;
  role: ApiRole;
  tokenSha256: string;
  customerId?: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const TOKEN_VALUE = /^[A-Za-z0-9._~+/=-]{24,512}$/;
const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Parses `SDO_API_TOKENS`: comma-separated `name:role:token[:customerId]` entries, e.g.
 * `alice:manager:<token>,bob:viewer:<token>:CUST-1`. Problems never quote a token.
 */
export function parseApiTokens(raw: string | undefined, problems: string[]): ApiTokenConfig[] {
  const tokens: ApiTokenConfig[] = [];
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const names = new Set<string>();
  const digests = new Set<string>();
  entries.forEach((entry, index) => {
    const parts = entry.split(':');
    const [name = '', role = '', token = '', customerId] = parts;
    const where = `SDO_API_TOKENS entry ${index + 1}${TOKEN_NAME.test(name) ? ` (${name})` : ''}`;
    if (parts.length < 3 || parts.length > 4) {
      problems.push(`${where} must look like name:role:token or name:role:token:customerId`);
      return;
    }
    if (!TOKEN_NAME.test(name)) problems.push(`${where} has an invalid name: use letters, digits, '.', '_', '@' or '-'`);
    if (!(API_ROLES as readonly string[]).includes(role))
      problems.push(`${where} has ${/^[a-z]{1,16}$/.test(role) ? `role "${role}"` : 'an unknown role'}; roles are ${API_ROLES.join(', ')}`);
    if (!TOKEN_VALUE.test(token)) problems.push(`${where} has a weak or malformed token: use at least 24 characters such as \`openssl rand -hex 24\``);
    if (customerId !== undefined && !CUSTOMER_ID.test(customerId)) problems.push(`${where} has an invalid customer ID`);
    if (names.has(name)) problems.push(`${where} repeats the name ${name}`);
    const digest = sha256Hex(token);
    if (digests.has(digest)) problems.push(`${where} reuses another entry's token`);
    names.add(name);
    digests.add(digest);
    tokens.push({ name, role: role as ApiRole, tokenSha256: digest, ...(customerId ? { customerId } : {}) });
  });
  return tokens;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
const DURATION = /^\d+(\.\d+)?\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i;

type Env = Record<string, string | undefined>;

/** Browsers send the bare origin (scheme://host:port), never a path or a trailing slash. */
function originOf(url: string | undefined): string | undefined {
  return url === undefined ? undefined : new URL(url).origin;
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is the base URL; traces go to its /v1/traces (the OTLP convention). */
function withTracesPath(url: string | undefined): string | undefined {
  return url === undefined ? undefined : `${url.replace(/\/+$/, '')}/v1/traces`;
}

export function loadConfig(env: Env = process.env): SdoConfig {
  const problems: string[] = [];
  const text = (name: string, fallback?: string): string => {
    const value = env[name]?.trim() || fallback;
    if (value === undefined) problems.push(`${name} is required`);
    return value ?? '';
  };
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65535) problems.push(`${name} must be a port number (0-65535), got "${raw}"`);
    return value;
  };
  const optionalPort = (name: string): number | undefined => (env[name]?.trim() ? port(name, 0) : undefined);
  const url = (name: string, what: RegExp, hint: string): string | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    try {
      const parsed = new URL(raw);
      if (!what.test(parsed.protocol)) throw new Error(hint);
      return raw;
    } catch {
      problems.push(`${name} must be ${hint}, got "${raw}"`);
      return undefined;
    }
  };
  const slots = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 1000) problems.push(`${name} must be a whole number of slots (1-1000), got "${raw}"`);
    return value;
  };
  const maxAgeMs = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 60_000) problems.push(`${name} must be whole milliseconds (0-60000), got "${raw}"`);
    return value;
  };
  const queues = (name: string): WorkKind[] => {
    const listed = (env[name] ?? '')
      .split(',')
      .map((q) => q.trim())
      .filter(Boolean);
    const unknown = listed.filter((q) => !(WORK_KINDS as readonly string[]).includes(q));
    if (unknown.length) problems.push(`${name} lists ${WORK_KINDS.join(' and/or ')}, comma-separated; "${unknown.join(',')}" is not one`);
    return listed.length && !unknown.length ? WORK_KINDS.filter((k) => listed.includes(k)) : [...WORK_KINDS];
  };
  const duration = (name: string, fallback: string): string => {
    const value = env[name]?.trim() || fallback;
    if (!DURATION.test(value)) problems.push(`${name} must be a duration such as "30 minutes" or "2 days", got "${value}"`);
    return value;
  };
  const file = (name: string): string | undefined => {
    const path = env[name]?.trim();
    if (!path) return undefined;
    try {
      readFileSync(path);
    } catch {
      problems.push(`${name} points to ${path}, which cannot be read`);
    }
    return path;
  };

  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// URL');
  const secretsKey = text('SDO_SECRETS_KEY');
  if (secretsKey && Buffer.from(secretsKey, 'base64').length !== 32)
    problems.push('SDO_SECRETS_KEY must be 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
  const logLevel = (env['SDO_LOG_LEVEL']?.trim() || 'info') as SdoConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`SDO_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const tlsWanted = ['true', '1'].includes(env['TEMPORAL_TLS'] ?? '');
  const clientCertPath = file('TEMPORAL_TLS_CLIENT_CERT');
  const clientKeyPath = file('TEMPORAL_TLS_CLIENT_KEY');
  if (Boolean(clientCertPath) !== Boolean(clientKeyPath)) problems.push('TEMPORAL_TLS_CLIENT_CERT and TEMPORAL_TLS_CLIENT_KEY go together');
  const apiKey = env['TEMPORAL_API_KEY']?.trim() || undefined;
  const temporalUiUrl = env['SDO_TEMPORAL_UI_URL']?.trim().replace(/\/+$/, '') || undefined;
  if (temporalUiUrl && !/^https?:\/\/[^\s/]+/.test(temporalUiUrl)) problems.push('SDO_TEMPORAL_UI_URL must be an http(s) URL');

  const config: SdoConfig = {
    api: { host: text('SDO_API_HOST', '127.0.0.1'), port: port('SDO_API_PORT', 3000) },
    databaseUrl,
    secretsKey,
    payloadKeys: parsePayloadKeys(env['SDO_PAYLOAD_KEYS'], problems)!,
    temporal: {
      address: text('TEMPORAL_ADDRESS', '127.0.0.1:7233'),
      namespace: text('TEMPORAL_NAMESPACE', 'default'),
      taskQueue: text('SDO_TASK_QUEUE', DELIVERY_TASK_QUEUE),
      tls:
        tlsWanted || clientCertPath || apiKey
          ? { serverName: env['TEMPORAL_TLS_SERVER_NAME'] || undefined, clientCertPath, clientKeyPath, serverRootCaPath: file('TEMPORAL_TLS_SERVER_CA') }
          : undefined,
      apiKey,
    },
    logLevel,
    gates: {
      reminderEvery: duration('SDO_GATE_REMINDER_EVERY', '1 day'),
      escalateAfter: duration('SDO_GATE_ESCALATE_AFTER', '3 days'),
    },
    assessmentRetryBudget: duration('SDO_ASSESSMENT_RETRY_BUDGET', '5 minutes'),
    obligationMonth:
      env['SDO_OBLIGATION_MONTH']?.trim() === 'month' || !env['SDO_OBLIGATION_MONTH']?.trim() ? 'month' : duration('SDO_OBLIGATION_MONTH', 'month'),
    ...(env['SDO_PACKAGE_VALIDITY']?.trim() ? { packageValidity: duration('SDO_PACKAGE_VALIDITY', '1 day') } : {}),
    apiTokens: parseApiTokens(env['SDO_API_TOKENS'], problems),
    // A folder of the state directory (`npm start` runs the apps from the repository root: .sdo/, or SDO_STATE_DIR).
    codecCorsOrigin: originOf(url('SDO_CODEC_CORS_ORIGIN', /^https?:$/, 'an http(s) origin such as http://127.0.0.1:8233')),
    metrics: {
      host: text('SDO_METRICS_HOST', '127.0.0.1'),
      apiPort: optionalPort('SDO_API_METRICS_PORT'),
      workerPort: optionalPort('SDO_WORKER_METRICS_PORT'),
    },
    otlpTracesEndpoint:
      url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', /^https?:$/, 'an http(s) URL') ??
      withTracesPath(url('OTEL_EXPORTER_OTLP_ENDPOINT', /^https?:$/, 'an http(s) URL')),
    sqliteDir: resolve(env['SDO_SQLITE_DIR']?.trim() || join(env['SDO_STATE_DIR']?.trim() || '.sdo', 'sqlite')),
    ...(temporalUiUrl ? { temporalUiUrl } : {}),
    webhooks: webhookSettings(env, problems),
    mail: mailSettings(env, problems),
    worker: { queues: queues('SDO_WORKER_QUEUES'), orchestrationSlots: slots('SDO_ORCHESTRATION_SLOTS', 20), dataSlots: slots('SDO_DATA_SLOTS', 16) },
    liveStatusMaxAgeMs: maxAgeMs('SDO_LIVE_STATUS_MAX_AGE_MS', 3_000),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** `SDO_WEBHOOK_ALLOW_HTTP` (default: allowed unless NODE_ENV=production) and `SDO_WEBHOOK_ALLOWED_ADDRESSES` (IPs or CIDRs). */
function webhookSettings(env: Env, problems: string[]): SdoConfig['webhooks'] {
  const raw = env['SDO_WEBHOOK_ALLOW_HTTP']?.trim().toLowerCase();
  if (raw && !['true', 'false', '1', '0'].includes(raw)) problems.push('SDO_WEBHOOK_ALLOW_HTTP must be true or false');
  const allowHttp = raw ? raw === 'true' || raw === '1' : env['NODE_ENV'] !== 'production';
  const allowedAddresses = (env['SDO_WEBHOOK_ALLOWED_ADDRESSES'] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const ip = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(?:\/\d{1,3})?$/;
  for (const entry of allowedAddresses)
    if (!ip.test(entry)) problems.push(`SDO_WEBHOOK_ALLOWED_ADDRESSES entry "${entry.slice(0, 64)}" must be an IP address or a CIDR range`);
  return { allowHttp, allowedAddresses };
}

/** `SDO_SMTP_URL` (smtp:// or smtps://, credentials in the URL) and `SDO_MAIL_FROM`. */
function mailSettings(env: Env, problems: string[]): SdoConfig['mail'] {
  const smtpUrl = env['SDO_SMTP_URL']?.trim();
  if (!smtpUrl) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(smtpUrl);
  } catch {
    // reported below, without quoting the URL (it may carry a password)
  }
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')) problems.push('SDO_SMTP_URL must be an smtp:// or smtps:// URL');
  const from = env['SDO_MAIL_FROM']?.trim() || 'SDO <sdo@localhost>';
  return { smtpUrl, from };
}
