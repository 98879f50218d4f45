import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { ConfigError, generatePayloadKeyEntry, loadConfig } from '@sdo/config';
import {
  clusterMetricsPorts,
  clusterSdoEnv,
  DEFAULT_CLUSTER_WORKERS,
  DEFAULT_METRICS_PORTS,
  DOCKER_TEMPORAL_CONFIG,
  REPO_ROOT,
  TEMPORAL_SERVER_VERSION,
} from '@sdo/stack';

/**
 * docker/compose.yaml kept in step with the cluster profile (tools/cluster) and libs/config, without
 * Docker: `bash tools/scripts/compose-check.sh` runs the real `docker compose config` on it.
 */
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string; args?: Record<string, string> };
  user?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  volumes?: string[];
  expose?: string[];
  ports?: string[];
}

const DOCKER = join(REPO_ROOT, 'docker');
const compose = load(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;
const exampleEnv = Object.fromEntries(
  readFileSync(join(DOCKER, '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

/** Compose's interpolation of `${NAME}`, `${NAME:?message}` and `$$` from an env file's values. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Z0-9_]+)(?::?[?-][^}]*)?\}/g, (_match, name?: string) => (name === undefined ? '$' : (vars[name] ?? '')));
}
const containerEnv = (service: string, vars: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(services[service]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]));

/** Every environment name libs/config reads (its sources, not its specs). */
const configSources = readdirSync(join(REPO_ROOT, 'libs/config/src'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
  .map((f) => readFileSync(join(REPO_ROOT, 'libs/config/src', f), 'utf8'))
  .join('\n');
const readByConfig = new Set(configSources.match(/\b(?:SDO|TEMPORAL|OTEL)_[A-Z0-9_]+\b|\bDATABASE_URL\b|\bNODE_ENV\b/g));

/** A Dockerfile's stages with what these checks read: parent image or stage, USER, HEALTHCHECK command (continued lines joined). */
function dockerfileStages(dockerfile: string): { name?: string; from: string; user?: string; healthcheck?: string }[] {
  const stages: { name?: string; from: string; user?: string; healthcheck?: string }[] = [];
  for (const line of readFileSync(join(REPO_ROOT, dockerfile), 'utf8')
    .replace(/\\\n\s*/g, '')
    .split('\n')) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1]!, name: from[2] });
    const user = /^USER\s+(\S+)/i.exec(line);
    if (user) stages[stages.length - 1]!.user = user[1];
    const check = /^HEALTHCHECK\s.*?\bCMD\s+(.*)$/.exec(line);
    if (check) stages[stages.length - 1]!.healthcheck = check[1];
  }
  return stages;
}

/** The user a Dockerfile stage runs as (its own USER or its parent stage's), undefined when it is an outside image's. */
function stageUser(dockerfile: string, target?: string): string | undefined {
  const stages = dockerfileStages(dockerfile);
  let stage = target ? stages.find((s) => s.name === target) : stages[stages.length - 1];
  while (stage && !stage.user) stage = stages.find((s) => s.name === stage!.from);
  return stage?.user;
}

const healthcheckText = (service: string): string => [services[service]?.healthcheck?.test ?? []].flat().join(' ');

describe('docker/compose.yaml', () => {
  it('runs what the cluster profile runs, with two workers', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'console', 'postgres', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker']);
    expect(services['worker']?.deploy?.replicas).toBe(2);
    expect(DEFAULT_CLUSTER_WORKERS).toBeGreaterThanOrEqual(2);
  });

  it('gives api and workers what the cluster profile gives them, and sets only SDO_* names libs/config reads', () => {
    const given = Object.keys(
      clusterSdoEnv({ databaseUrl: '', temporalAddress: '', namespace: '', secretsKey: '', payloadKeys: '', apiTokens: '', sqliteDir: '' }),
    );
    for (const app of ['api', 'worker']) {
      const env = Object.keys(containerEnv(app, exampleEnv));
      expect(env).toEqual(expect.arrayContaining(given));
      expect(env.filter((name) => !readByConfig.has(name))).toEqual([]);
    }
    const sdoNames = Object.values(services).flatMap((s) => Object.keys(s.environment ?? {}).filter((name) => name.startsWith('SDO_')));
    expect(sdoNames.filter((name) => !readByConfig.has(name))).toEqual([]);
  });

  it('serves Prometheus on the ports the cluster profile gives its first worker and the API', () => {
    expect(containerEnv('api', exampleEnv)['SDO_API_METRICS_PORT']).toBe(String(DEFAULT_METRICS_PORTS.api));
    expect(containerEnv('worker', exampleEnv)['SDO_WORKER_METRICS_PORT']).toBe(String(DEFAULT_METRICS_PORTS.firstWorker));
  });

  it('starts api and workers once .env is filled in, and refuses the CHANGE_ME placeholders', () => {
    const filled = {
      ...exampleEnv,
      POSTGRES_PASSWORD: randomBytes(12).toString('hex'),
      SDO_DB_PASSWORD: randomBytes(12).toString('hex'),
      TEMPORAL_DB_PASSWORD: randomBytes(12).toString('hex'),
      SDO_SECRETS_KEY: randomBytes(32).toString('base64'),
      SDO_PAYLOAD_KEYS: generatePayloadKeyEntry('k1'),
      SDO_API_TOKENS: `admin:admin:${randomBytes(24).toString('hex')}`,
    };
    for (const app of ['api', 'worker']) {
      expect(() => loadConfig(containerEnv(app, filled))).not.toThrow();
      let refused: unknown;
      try {
        loadConfig(containerEnv(app, exampleEnv));
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).problems.join('\n')).toMatch(/SDO_SECRETS_KEY[\s\S]*SDO_PAYLOAD_KEYS[\s\S]*SDO_API_TOKENS/);
    }
    // PostgreSQL's first start (init-users.sh) refuses the placeholder passwords before running any SQL.
    const init = () => execFileSync('sh', [join(DOCKER, 'postgres', 'init-users.sh')], { env: containerEnv('postgres', exampleEnv), stdio: 'pipe' });
    expect(init).toThrow(/CHANGE_ME placeholders are refused/);
  });

  it('health-checks api and workers on the ports they serve, and every service another waits healthy for', () => {
    const env = containerEnv('api', exampleEnv);
    expect(healthcheckText('api')).toContain(`127.0.0.1:${env['SDO_API_PORT']}/health`);
    expect(services['api']?.ports).toContain(`127.0.0.1:${env['SDO_API_PORT']}:${env['SDO_API_PORT']}`);
    expect(healthcheckText('worker')).toContain(`127.0.0.1:${containerEnv('worker', exampleEnv)['SDO_WORKER_METRICS_PORT']}/metrics`);
    const waitedFor = Object.values(services).flatMap((s) =>
      Object.entries(s.depends_on ?? {})
        .filter(([, d]) => d.condition === 'service_healthy')
        .map(([name]) => name),
    );
    for (const name of new Set([...waitedFor, 'api', 'worker'])) {
      expect([name, healthcheckText(name)]).toEqual([name, expect.stringMatching(/\S/)]);
      expect(services[name]?.healthcheck?.disable).not.toBe(true);
    }
  });

  it('runs every service as a non-root user, the one its Dockerfile stage names', () => {
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.user]).toEqual([name, expect.stringMatching(/^(?!root\b|0\b)\S+$/)]);
      if (!service.build) continue;
      const user = stageUser(service.build.dockerfile, service.build.target);
      // A stage on an outside image without USER of ours (nginx-unprivileged) relies on compose's user.
      if (user !== undefined) expect([name, user]).toEqual([name, service.user]);
    }
    expect(stageUser('docker/sdo.Dockerfile', 'api')).toBe('sdo');
    expect(stageUser('docker/sdo.Dockerfile', 'worker')).toBe('sdo');
  });

  it("builds the Temporal server at the cluster profile's version, on the port SDO dials", () => {
    const build = services['temporal-schema']?.build;
    expect(build?.args?.['TEMPORAL_VERSION']).toBe(TEMPORAL_SERVER_VERSION);
    const dockerfile = readFileSync(join(REPO_ROOT, build!.dockerfile), 'utf8');
    expect(/^ARG TEMPORAL_VERSION=(\S+)$/m.exec(dockerfile)?.[1]).toBe(TEMPORAL_SERVER_VERSION);
    const tag = `sdo-temporal:${TEMPORAL_SERVER_VERSION.replace(/^v/, '')}`;
    expect([services['temporal-schema']?.image, services['temporal']?.image]).toEqual([tag, tag]);
    const port = String(DOCKER_TEMPORAL_CONFIG.frontendPort);
    for (const app of ['api', 'worker']) expect(containerEnv(app, exampleEnv)['TEMPORAL_ADDRESS']).toBe(`temporal:${port}`);
    expect(services['temporal']?.expose).toContain(port);
    expect(healthcheckText('temporal')).toContain(`/127.0.0.1/${port}`);
  });

  it('refers only to files that exist, inside the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    // State and secrets never reach the build context; the image installs its own node_modules.
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.sdo', '.tools', 'dist', '.env', 'docker/.env']));
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect([name, existsSync(join(DOCKER, source))]).toEqual([name, true]);
      }
      if (!service.build) continue;
      expect(join(DOCKER, service.build.context)).toBe(REPO_ROOT);
      const dockerfile = readFileSync(join(REPO_ROOT, service.build.dockerfile), 'utf8');
      if (service.build.target) expect(dockerfile).toMatch(new RegExp(`^FROM .+ AS ${service.build.target}$`, 'm'));
      for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm))
        for (const source of sources!.split(' ')) {
          expect([source, existsSync(join(REPO_ROOT, source))]).toEqual([source, true]);
          expect(ignored).not.toContain(source.split('/')[0]);
        }
    }
  });
});

describe('the cluster profile on one host', () => {
  it('gives every worker its own Prometheus port, counting on from the first', () => {
    expect(clusterMetricsPorts(3, {})).toEqual({ api: 9464, workers: [9465, 9466, 9467] });
    expect(clusterMetricsPorts(2, { SDO_API_METRICS_PORT: '19000', SDO_WORKER_METRICS_PORT: '19100' })).toEqual({ api: 19000, workers: [19100, 19101] });
    // Empty: that process serves none.
    expect(clusterMetricsPorts(2, { SDO_API_METRICS_PORT: '', SDO_WORKER_METRICS_PORT: ' ' })).toEqual({ workers: [undefined, undefined] });
  });

  it('refuses a port two processes would share, or that is no port', () => {
    expect(() => clusterMetricsPorts(3, { SDO_API_METRICS_PORT: '9466' })).toThrow(
      /SDO_API_METRICS_PORT 9466 is one of the workers' ports \(9465, 9466, 9467\)/,
    );
    for (const bad of ['0', '65536', '9465.5', '-1', '1e4', '9465; rm -rf /', '9465\u0000'])
      expect(() => clusterMetricsPorts(1, { SDO_WORKER_METRICS_PORT: bad })).toThrow(/SDO_WORKER_METRICS_PORT must be a port number/);
    expect(() => clusterMetricsPorts(3, { SDO_WORKER_METRICS_PORT: '65534' })).toThrow(/leaves no port for worker 3/);
  });
});

/** The HEALTHCHECK command of a Dockerfile stage, as the image's shell runs it. */
function stageHealthcheck(dockerfile: string, target: string): string {
  const check = dockerfileStages(dockerfile).find((s) => s.name === target)?.healthcheck;
  if (!check) throw new Error(`${dockerfile} has no HEALTHCHECK in stage ${target}`);
  return check;
}

describe('docker/sdo.Dockerfile health checks, run as the image runs them', () => {
  const probe = (target: string, env: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const child = spawn('sh', ['-c', stageHealthcheck('docker/sdo.Dockerfile', target)], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
        stdio: 'ignore',
      });
      child.on('exit', (code) => resolve(code ?? -1));
    });
  const serve = async (status: number, host = '127.0.0.1'): Promise<{ port: number; paths: string[]; close: () => Promise<void> }> => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((r) => server.listen(0, host, r));
    return { port: (server.address() as AddressInfo).port, paths, close: () => new Promise((r) => server.close(() => r())) };
  };

  it('calls a worker healthy while its Prometheus port answers, and not once it stops', async () => {
    const up = await serve(200);
    expect(await probe('worker', { SDO_WORKER_METRICS_PORT: String(up.port), TEMPORAL_ADDRESS: '127.0.0.1:1' })).toBe(0);
    expect(up.paths).toEqual(['/metrics']);
    await up.close();
    expect(await probe('worker', { SDO_WORKER_METRICS_PORT: String(up.port), TEMPORAL_ADDRESS: '127.0.0.1:1' })).toBe(1);
    const failing = await serve(500);
    expect(await probe('worker', { SDO_WORKER_METRICS_PORT: String(failing.port) })).toBe(1);
    await failing.close();
  });

  it("without a metrics port, calls a worker healthy while Temporal's frontend accepts connections (IPv4 and bracketed IPv6)", async () => {
    for (const host of ['127.0.0.1', '::1']) {
      const frontend = await serve(200, host);
      const address = host.includes(':') ? `[${host}]:${frontend.port}` : `${host}:${frontend.port}`;
      expect([address, await probe('worker', { TEMPORAL_ADDRESS: address })]).toEqual([address, 0]);
      await frontend.close();
      expect([address, await probe('worker', { TEMPORAL_ADDRESS: address })]).toEqual([address, 1]);
    }
    expect(await probe('worker', {})).toBe(1);
  });

  it('calls the api healthy while /health answers on SDO_API_PORT', async () => {
    const api = await serve(200);
    expect(await probe('api', { SDO_API_PORT: String(api.port) })).toBe(0);
    expect(api.paths).toEqual(['/health']);
    await api.close();
    expect(await probe('api', { SDO_API_PORT: String(api.port) })).toBe(1);
  });
});
