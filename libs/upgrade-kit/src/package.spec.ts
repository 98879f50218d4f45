import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import { UpgradePackage, checksum, compareVersions, loadPackage, packageProblems, targetVersion, validatePackage } from './package';
import { FIXTURES } from './testing-fixtures';

function invalid(fn: () => unknown): DeliveryError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DeliveryError);
    expect((e as DeliveryError).type).toBe(DeliveryFailureType.InvalidPackage);
    return e as DeliveryError;
  }
  throw new Error('expected InvalidPackage');
}

const pkg = (versions: string[], sql = 'SELECT 1;'): UpgradePackage => ({
  name: 'p',
  product: 'erp',
  scripts: versions.map((version) => ({ version, description: `v${version}`, sql })),
  verifications: [],
});

describe('upgrade package', () => {
  it('loads the fixture package in version order with descriptions and verifications', () => {
    const p = loadPackage(join(FIXTURES, 'packages/erp-2.1'));
    expect(p.name).toBe('erp-2.1');
    expect(p.scripts.map((s) => `${s.version} ${s.description}`)).toEqual([
      '2.0.0 price lists',
      '2.0.1 customer credit control',
      '2.1.0 sales order totals',
      '2.1.1 reporting views',
    ]);
    expect(p.verifications).toHaveLength(5);
    expect(targetVersion(p)).toBe('2.1.1');
    expect(() => validatePackage(p)).not.toThrow();
  });

  it('checksums ignore line-ending style but nothing else', () => {
    expect(checksum('SELECT 1;\nSELECT 2;\n')).toBe(checksum('SELECT 1;\r\nSELECT 2;\r\n'));
    expect(checksum('SELECT 1;')).not.toBe(checksum('SELECT 1; '));
    expect(checksum('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compares versions numerically', () => {
    expect(compareVersions('2.10', '2.9')).toBe(1);
    expect(compareVersions('2.0', '2.0.0')).toBe(0);
    expect(compareVersions('1.9.9', '2')).toBe(-1);
  });

  it('rejects duplicate, decreasing and malformed versions and empty scripts', () => {
    expect(packageProblems(pkg(['2.0.0', '2.0.1']))).toEqual([]);
    expect(invalid(() => validatePackage(pkg(['2.0.0', '2.0']))).message).toContain('2.0 is used twice');
    expect(invalid(() => validatePackage(pkg(['2.1', '2.0.5']))).message).toContain('must be strictly increasing');
    expect(invalid(() => validatePackage(pkg(['v2']))).message).toContain('not a dotted numeric version');
    expect(invalid(() => validatePackage(pkg(['2.0'], '  -- nothing\n'))).message).toContain('is empty');
    expect(invalid(() => validatePackage(pkg(['2.0'], 'BEGIN; SELECT 1; COMMIT;'))).message).toContain('remove transaction control');
    expect(invalid(() => validatePackage(pkg([])))).toBeDefined();
  });

  it('rejects a misnamed script file and bad verifications when loading a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uk-pkg-'));
    cpSync(join(FIXTURES, 'packages/erp-2.1'), dir, { recursive: true });
    writeFileSync(join(dir, 'V2.2_fix.sql'), 'SELECT 1;');
    expect(invalid(() => loadPackage(dir)).message).toContain('V2.2_fix.sql');

    const dir2 = mkdtempSync(join(tmpdir(), 'uk-pkg-'));
    cpSync(join(FIXTURES, 'packages/erp-2.1'), dir2, { recursive: true });
    writeFileSync(join(dir2, 'verifications.json'), JSON.stringify([{ name: 'x', sql: 'SELECT 1', expect: 'some' }]));
    expect(invalid(() => loadPackage(dir2)).message).toContain(`verification "x" must expect`);
    expect(invalid(() => loadPackage(join(dir2, 'missing'))).message).toContain('does not exist');
  });
});
