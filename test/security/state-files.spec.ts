import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresServiceGid } from '@sdo/stack';
import { makePrivateDir, makeStateDir, persistentSecret } from '@sdo/stack';

const mode = (path: string) => statSync(path).mode & 0o777;

/** Issue #8, item 13: SDO's state (Temporal's file with every delivery's inputs, tokens, keys) is private. */
describe('state files', () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'sdo-state-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('makes the state directory 0700 and tightens files an older run left readable', () => {
    const state = join(base, '.sdo');
    makeStateDir(state);
    expect(mode(state)).toBe(0o700);
    writeFileSync(join(state, 'temporal.db'), 'x', { mode: 0o644 });
    writeFileSync(join(state, 'admin-token'), 'x', { mode: 0o644 });
    makeStateDir(state);
    expect(mode(join(state, 'temporal.db'))).toBe(0o600);
    expect(mode(join(state, 'admin-token'))).toBe(0o600);
  });

  it('lets only the embedded PostgreSQL group pass through (no listing) when it runs as another user', () => {
    const gid = postgresServiceGid();
    if (gid === undefined) return; // not root: PostgreSQL runs as ourselves and the directory stays 0700
    const state = join(base, '.sdo');
    makeStateDir(state, { traverseGid: gid });
    expect(mode(state)).toBe(0o710);
    expect(statSync(state).gid).toBe(gid);
  });

  it('writes generated secrets 0600 and keeps them across restarts', () => {
    const file = join(base, 'secrets-key');
    expect(persistentSecret(file, () => 'first')).toBe('first');
    expect(persistentSecret(file, () => 'second')).toBe('first');
    expect(mode(file)).toBe(0o600);
    makePrivateDir(join(base, 'sqlite'));
    expect(mode(join(base, 'sqlite'))).toBe(0o700);
  });

  it("keeps the test stack's work dir and Temporal's file private (tools/stack/test.ts, startTemporal)", () => {
    const work = process.env['SDO_TEST_WORK_DIR'];
    if (!work) return; // run outside tools/scripts/with-test-stack.sh
    expect(mode(work) & 0o007).toBe(0);
    for (const name of readdirSync(work).filter((n) => n.startsWith('temporal.db'))) expect([name, mode(join(work, name))]).toEqual([name, 0o600]);
  });
});
