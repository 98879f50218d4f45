import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT, staleBuild, WORKFLOW_BUNDLE_SOURCES } from '@sdo/stack';
import { WORKFLOW_INTERCEPTOR_MODULES } from '@sdo/worker/testing';

/** `npm start` runs dist/, building it first when it is missing or older than any source. */
describe('when npm start builds', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'sdo-build-'));
    for (const dir of ['apps/worker/src', 'libs/contracts/src', 'workflows/src']) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'apps/worker/src/main.ts'), '');
    writeFileSync(join(root, 'libs/contracts/src/index.ts'), '');
    writeFileSync(join(root, 'workflows/src/index.ts'), '');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const at = (path: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path, t, t);
  };
  const ageEverything = () => {
    for (const p of ['apps/worker/src/main.ts', 'libs/contracts/src/index.ts', 'workflows/src/index.ts']) at(join(root, p), 100);
    for (const d of ['apps/worker/src', 'apps/worker', 'apps', 'libs/contracts/src', 'libs/contracts', 'libs', 'workflows/src', 'workflows'])
      at(join(root, d), 100);
  };

  it('builds when there is no build, not when dist is newer than every source, again when a source changes', () => {
    expect(staleBuild('worker', root)).toBe('no build yet');
    ageEverything();
    mkdirSync(join(root, 'dist/worker'), { recursive: true });
    writeFileSync(join(root, 'dist/worker/.built'), '');
    at(join(root, 'dist/worker/.built'), 50);
    expect(staleBuild('worker', root)).toBeUndefined();
    // A workflow edited after the build (its bundle is in dist/worker too).
    writeFileSync(join(root, 'workflows/src/index.ts'), 'export {};');
    expect(staleBuild('worker', root)).toBe('sources changed since the last build');
    // A deleted lib file shows as a newer directory.
    ageEverything();
    rmSync(join(root, 'libs/contracts/src/index.ts'));
    expect(staleBuild('worker', root)).toBe('sources changed since the last build');
  });

  it('rebuilds the workflow bundle when any module bundled with the workflows changes', () => {
    // A module missing here would leave a stale bundle in dist/ after an edit to it.
    for (const module of WORKFLOW_INTERCEPTOR_MODULES) {
      const path = relative(REPO_ROOT, module).replace(/\.js$/, '.ts');
      expect(WORKFLOW_BUNDLE_SOURCES.some((source) => path === source || path.startsWith(`${source}/`))).toBe(true);
    }
  });
});
