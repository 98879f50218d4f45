/**
 * The Temporal Web UI's config file for the cluster profile (Temporal's ui-server, built from its Go
 * module): the cluster's frontend, loopback only, and SDO's codec server so engineers read sealed
 * payloads opened — set up as `npm start` sets up the dev server's UI.
 */
/**
 * Temporal's Web UI server (tools/cluster/cluster.ts builds it), with the UI's built assets embedded in its Go module (ui/assets/local).
 * v2.56.4: its dependencies are all served by the module proxy here (v2.58.1 needs echo v4.16.1 and
 * go.temporal.io/api v1.64.0, which it refuses) and it speaks the API version of server v1.32.2 (v1.63.5).
 */
export const TEMPORAL_UI_VERSION = 'v2.56.4';

export interface WebUiConfig {
  /** The Temporal frontend's gRPC address (host:port). */
  temporalGrpcAddress: string;
  port: number;
  host?: string;
  /** SDO's codec server (`<api>/codec`): the browser calls it, so it must be reachable from there. */
  codecEndpoint?: string;
  defaultNamespace?: string;
}

/**
 * YAML by hand is safe here: every value is a number, a boolean or a JSON-quoted string. The codec
 * settings are the dev server's (`--ui-codec-endpoint`): the UI has no login, so it passes no access
 * token and no cookies; the engineer's browser (or a proxy) adds `Authorization: Bearer <token>`.
 */
export function renderWebUiConfig(c: WebUiConfig): string {
  if (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535) throw new Error('port must be an integer between 1 and 65535');
  if (!/^[^\s:]+:\d+$/.test(c.temporalGrpcAddress)) throw new Error('temporalGrpcAddress must be host:port');
  if (c.codecEndpoint !== undefined && !/^https?:$/.test(new URL(c.codecEndpoint).protocol)) throw new Error('codecEndpoint must be an http(s) URL');
  const q = (s: string) => JSON.stringify(s);
  return `temporalGrpcAddress: ${q(c.temporalGrpcAddress)}
host: ${q(c.host ?? '127.0.0.1')}
port: ${c.port}
enableUi: true
defaultNamespace: ${q(c.defaultNamespace ?? 'default')}
# No calls out of the machine (release news, version checks).
disableNewsFetch: true
notifyOnNewVersion: false
distribution: "server"
# One line per request otherwise; the cluster's console stays readable.
hideLogs: true
auth:
  enabled: false
cors:
  # Plain HTTP on loopback: the CSRF cookie must not require HTTPS, or the UI's actions fail.
  cookieInsecure: true
  allowOrigins: []
codec:
  endpoint: ${q(c.codecEndpoint ?? '')}
  passAccessToken: false
  includeCredentials: false
`;
}
