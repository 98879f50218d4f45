import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { catalogService, validateParameters } from '@sdo/catalog';
import { CATALOG_FLOW_CODES, SERVICE_TYPES, ServiceType } from '@sdo/contracts';
import { ApiTestApp, startApiTestApp } from '../../testing/api-test-app';
import { startSchemaName } from './service-openapi';

const AUTOMATED: ServiceType[] = ['upgrade', 'data-migration', 'database-conversion', 'org-split', 'data-carryover'];
const PARAMETER_SCHEMAS = [
  'UpgradeParametersDto',
  'DataMigrationParametersDto',
  'DatabaseConversionParametersDto',
  'OrgSplitParametersDto',
  'CarryoverParametersDto',
];

/** Issue #9, item 6: /docs-json describes every service's parameters, told apart by serviceType. */
describe('the OpenAPI document of the start and amendment requests', () => {
  let api: ApiTestApp;
  let docs: any;
  /** The errors of `value` against a schema of the served document, $refs resolved inside it (OpenAPI-only keywords such as discriminator are ignored). */
  let errorsOf: (schemaName: string, value: unknown) => string[];
  const validates = (schemaName: string, value: unknown) => errorsOf(schemaName, value).length === 0;

  beforeAll(async () => {
    api = await startApiTestApp();
    const served = await api.request('GET', '/docs-json', { as: null });
    expect(served.status).toBe(200);
    docs = served.body;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'sdo', components: docs.components });
    errorsOf = (name, value) =>
      ajv.validate({ $ref: `sdo#/components/schemas/${name}` }, value) ? [] : (ajv.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  });
  afterAll(() => api?.close());

  it('has a schema per service, and StartDeliveryDto is their oneOf with serviceType as discriminator', () => {
    const schemas = docs.components.schemas;
    for (const name of PARAMETER_SCHEMAS) expect(schemas[name]?.properties).toBeDefined();
    // Every product of the catalog, each with its own parameters schema.
    expect(schemas.StartDeliveryDto.oneOf.map((s: any) => s.$ref)).toEqual(SERVICE_TYPES.map((t) => `#/components/schemas/${startSchemaName(t)}`));
    expect(schemas.StartDeliveryDto.discriminator).toEqual({
      propertyName: 'serviceType',
      mapping: Object.fromEntries(SERVICE_TYPES.map((t) => [t, `#/components/schemas/${startSchemaName(t)}`])),
    });
    AUTOMATED.forEach((type, i) => {
      const start = schemas[startSchemaName(type)];
      expect(start.properties.serviceType.enum).toEqual([type]);
      expect(start.properties.parameters.$ref).toBe(`#/components/schemas/${PARAMETER_SCHEMAS[i]}`);
      expect(start.required).toEqual(expect.arrayContaining(['serviceType', 'customerId', 'orderNo', 'environments', 'parameters', 'cutoverWindow']));
    });
    expect(schemas.ParameterAmendmentDto.properties.parameters.oneOf.map((s: any) => s.$ref)).toEqual(
      PARAMETER_SCHEMAS.map((n) => `#/components/schemas/${n}`),
    );
    expect(docs.paths['/v1/deliveries/{id}/parameters'].put).toBeDefined();
  });

  it.each(CATALOG_FLOW_CODES)('the documented %s start example (a catalog flow) validates against its schema and the catalog', (type) => {
    const start = docs.components.schemas[startSchemaName(type)];
    expect(start.properties.parameters.$ref).toBe(`#/components/schemas/${catalogService(type).parameters.name}`);
    expect(start.required).not.toContain('cutoverWindow');
    expect(start.example).not.toHaveProperty('cutoverWindow');
    expect(errorsOf(startSchemaName(type), start.example)).toEqual([]);
    expect(validateParameters(catalogService(type).parameters, start.example.parameters)).toMatchObject({ ok: true });
  });

  it.each(AUTOMATED)('the documented %s start example validates against its schema, StartDeliveryDto and the catalog', (type) => {
    const example = docs.components.schemas[startSchemaName(type)].example;
    expect(example.serviceType).toBe(type);
    expect(errorsOf(startSchemaName(type), example)).toEqual([]);
    expect(errorsOf('StartDeliveryDto', example)).toEqual([]);
    expect(validateParameters(catalogService(type).parameters!, example.parameters)).toMatchObject({ ok: true });
    expect(Object.keys(example.environments).sort()).toEqual(
      catalogService(type)
        .environmentRoles.map((r) => r.role)
        .sort(),
    );
    // Another service's type with these parameters matches no schema.
    const other = AUTOMATED.find((t) => t !== type && !validates(startSchemaName(t), { ...example, serviceType: t }));
    expect(other).toBeDefined();
  });
});
