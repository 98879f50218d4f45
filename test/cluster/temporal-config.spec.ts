import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '@sdo/contracts';
import { clusterPorts, DOCKER_TEMPORAL_CONFIG, renderTemporalConfig } from '@sdo/stack';

const DOCKER = join(__dirname, '..', '..', 'docker');
const base = { postgres: { host: '127.0.0.1', port: 54339, user: 'postgres', password: 'p"w\'d' }, frontendPort: 7433, numHistoryShards: 4 };

/** The cluster profile's Temporal config and the docker files that must stay in step with it. */
describe('Temporal cluster config', () => {
  it('uses PostgreSQL for both stores, loopback only, and quotes the password', () => {
    const yaml = renderTemporalConfig(base);
    expect(yaml.match(/pluginName: "postgres12"/g)).toHaveLength(2);
    expect(yaml).toMatch(/databaseName: "temporal"\n/);
    expect(yaml).toMatch(/databaseName: "temporal_visibility"\n/);
    expect(yaml.match(/password: "p\\"w'd"/g)).toHaveLength(2);
    expect(yaml.match(/bindOnIP: "127.0.0.1"/g)).toHaveLength(4);
    const p = clusterPorts(7433);
    for (const port of [p.frontend, p.history, p.matching, p.worker]) expect(yaml).toContain(`grpcPort: ${port}\n`);
    expect(new Set([p.frontend, p.history, p.matching, p.worker, p.http]).size).toBe(5);
    expect(yaml).toContain('numHistoryShards: 4\n');
    expect(yaml).not.toContain('enable-template');
  });

  it('refuses a history shard count that is not a positive integer', () => {
    expect(() => renderTemporalConfig({ ...base, numHistoryShards: 0 })).toThrow(/numHistoryShards/);
    expect(() => renderTemporalConfig({ ...base, numHistoryShards: 2.5 })).toThrow(/numHistoryShards/);
  });

  it("refuses a frontend port whose membership ports would not fit Temporal's smallint column", () => {
    expect(() => renderTemporalConfig({ ...base, frontendPort: 39433 })).toThrow(/frontendPort must be at most/);
  });

  it('renders docker/temporal/config.yaml as committed (a template reading the password from the environment)', () => {
    const committed = readFileSync(join(DOCKER, 'temporal', 'config.yaml'), 'utf8');
    expect(committed).toBe(renderTemporalConfig(DOCKER_TEMPORAL_CONFIG));
    expect(committed.startsWith('# enable-template\n')).toBe(true);
    expect(committed).toContain(`password: '{{ env "POSTGRES_PWD" }}'`);
  });

  it("registers SDO's search attributes in docker as the cluster scripts do", () => {
    const script = readFileSync(join(DOCKER, 'temporal', 'register-namespace.sh'), 'utf8');
    const listed = /SEARCH_ATTRIBUTES="([^"]*)"/.exec(script)?.[1]?.split(' ');
    expect(listed).toEqual(SEARCH_ATTRIBUTE_REGISTRATIONS);
  });
});
