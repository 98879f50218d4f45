import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Workflow code must stay deterministic: it may import only contracts, the workflow SDK and itself. */
const ALLOWED = [/^@sdo\/contracts$/, /^@temporalio\/workflow$/, /^\.\.?\//];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('workflow purity', () => {
  it('imports nothing but contracts and @temporalio/workflow', () => {
    const offenders = sources(join(__dirname, '..', 'workflows', 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)]
        .map((m) => m[1] ?? m[2] ?? '')
        .filter((spec) => !ALLOWED.some((re) => re.test(spec)))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
