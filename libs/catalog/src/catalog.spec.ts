import { AUTOMATED_SERVICE_TYPES, DELIVERY_PHASES, SERVICE_TYPES } from '@sdo/contracts';
import { catalogService, catalogServices, SERVICE_CATALOG, serviceDisplayName } from './catalog';
import { UpgradeParametersDto, validateParameters } from './parameters';

describe('service catalog', () => {
  it('describes every service type SDO knows; the automated ones with a flow that maps onto lifecycle phases', () => {
    expect(catalogServices().map((s) => s.code)).toEqual([...SERVICE_TYPES]);
    for (const service of catalogServices().filter((s) => s.automated)) {
      expect(service.name.zh).toMatch(/服务$/);
      expect(service.deliveryFlow.length).toBeGreaterThanOrEqual(6);
      for (const s of service.deliveryFlow) expect(DELIVERY_PHASES).toContain(s.phase);
      expect(service.deliveryFlow[0]!.phase).toBe('assessment');
      expect(service.deliveryFlow.at(-1)!.phase).toBe('acceptance');
      expect(service.contractGate).toBe(service.deliveryFlow.some((s) => s.zh === '服务签约'));
    }
  });

  it('names the environment roles each service needs', () => {
    expect(SERVICE_CATALOG.upgrade.environmentRoles.map((r) => r.role)).toEqual(['target']);
    expect(SERVICE_CATALOG.upgrade.environmentRoles[0]!.engines).toEqual(['postgres']);
    for (const type of ['database-conversion', 'data-migration', 'org-split', 'data-carryover'] as const) {
      expect(catalogService(type).environmentRoles.map((r) => r.role)).toEqual(['source', 'target']);
    }
  });

  it('gives every product a parameter DTO; exactly the five automated services run their own workflows', () => {
    expect(
      catalogServices()
        .filter((s) => s.automated)
        .map((s) => s.code),
    ).toEqual([...AUTOMATED_SERVICE_TYPES]);
    for (const s of catalogServices()) expect(typeof s.parameters).toBe('function');
  });

  it('names services the way customers do', () => {
    expect(serviceDisplayName('upgrade')).toBe('升级服务 (Upgrade)');
  });
});

describe('validateParameters', () => {
  const packageId = '0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e55';

  it('accepts valid upgrade parameters', () => {
    const result = validateParameters(UpgradeParametersDto, { packageId });
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ packageId }) });
  });

  it('names the field and the reason', () => {
    expect(validateParameters(UpgradeParametersDto, { packageId: 'nope' })).toEqual({
      ok: false,
      problems: [{ field: 'parameters.packageId', reason: 'must be a UUID' }],
    });
  });

  it('gives one problem per field, with every reason', () => {
    const result = validateParameters(UpgradeParametersDto, {});
    expect(result).toEqual({ ok: false, problems: [{ field: 'parameters.packageId', reason: 'must be a UUID' }] });
    const number = validateParameters(UpgradeParametersDto, { packageId: 42 });
    expect(number).toMatchObject({ ok: false, problems: [{ field: 'parameters.packageId' }] });
  });

  it('refuses unknown fields and non-objects', () => {
    const unknown = validateParameters(UpgradeParametersDto, { packageId, extra: 1 });
    expect(unknown).toEqual({ ok: false, problems: [{ field: 'parameters.extra', reason: 'is not a known field' }] });
    expect(validateParameters(UpgradeParametersDto, 'x')).toEqual({ ok: false, problems: [{ field: 'parameters', reason: 'must be an object' }] });
    expect(validateParameters(UpgradeParametersDto, [])).toMatchObject({ ok: false });
  });
});
