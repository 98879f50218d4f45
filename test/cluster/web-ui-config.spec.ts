import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderWebUiConfig, TEMPORAL_UI_VERSION } from '@sdo/stack';

const COMPOSE = readFileSync(join(__dirname, '..', '..', 'docker', 'compose.yaml'), 'utf8');
const base = { temporalGrpcAddress: '127.0.0.1:7433', port: 8433, codecEndpoint: 'http://127.0.0.1:3000/codec' };

/** One service's block of the compose file (from its key to the next service). */
function service(name: string): string {
  const block = new RegExp(`\\n  ${name}:\\n([\\s\\S]*?)(?=\\n  [a-z][\\w-]*:\\n|\\nvolumes:)`).exec(COMPOSE)?.[1];
  if (!block) throw new Error(`no service ${name} in docker/compose.yaml`);
  return block;
}

/** The cluster profile's Web UI config (tools/cluster/web-ui-config.ts) and the docker service that must match it. */
describe('Temporal Web UI config', () => {
  it("points the UI at the cluster's frontend and SDO's codec server, on loopback, passing no token", () => {
    const yaml = renderWebUiConfig(base);
    expect(yaml).toContain('temporalGrpcAddress: "127.0.0.1:7433"\n');
    expect(yaml).toContain('host: "127.0.0.1"\n');
    expect(yaml).toContain('port: 8433\n');
    expect(yaml).toContain('enableUi: true\n');
    expect(yaml).toContain('codec:\n  endpoint: "http://127.0.0.1:3000/codec"\n  passAccessToken: false\n  includeCredentials: false\n');
    expect(yaml).toMatch(/auth:\n {2}enabled: false\n/);
    // Nothing fetched from outside the machine, no config template rendering of our values.
    expect(yaml).toContain('disableNewsFetch: true\n');
    expect(yaml).not.toContain('enable-template');
  });

  it('refuses a port, an address or a codec endpoint it cannot use', () => {
    expect(() => renderWebUiConfig({ ...base, port: 0 })).toThrow(/port/);
    expect(() => renderWebUiConfig({ ...base, port: 70_000 })).toThrow(/port/);
    expect(() => renderWebUiConfig({ ...base, temporalGrpcAddress: '127.0.0.1' })).toThrow(/host:port/);
    expect(() => renderWebUiConfig({ ...base, codecEndpoint: 'ftp://127.0.0.1/codec' })).toThrow(/http/);
  });

  it('quotes values so YAML cannot read them as something else', () => {
    expect(renderWebUiConfig({ ...base, defaultNamespace: 'a: "b"' })).toContain('defaultNamespace: "a: \\"b\\""\n');
  });

  it('runs the same UI version in docker, with the codec server and the CORS origin the cluster profile uses', () => {
    const ui = service('temporal-ui');
    expect(ui).toContain(`image: temporalio/ui:${TEMPORAL_UI_VERSION.replace(/^v/, '')}\n`);
    const origin = /TEMPORAL_CORS_ORIGINS: (\S+)/.exec(ui)?.[1];
    expect(origin).toMatch(/^http:\/\/localhost:\d+$/);
    expect(ui).toMatch(/TEMPORAL_CODEC_ENDPOINT: http:\/\/localhost:3000\/codec\n/);
    expect(ui).toMatch(/TEMPORAL_CODEC_PASS_ACCESS_TOKEN: 'false'\n/);
    // The api reads it from the shared SDO environment (x-sdo-env) or its own.
    expect(COMPOSE).toContain(`SDO_CODEC_CORS_ORIGIN: ${origin}\n`);
    expect(service('api')).toMatch(/ports: \['127\.0\.0\.1:3000:3000'\]/);
  });
});
