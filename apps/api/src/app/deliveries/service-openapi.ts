import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { catalogServices } from '@sdo/catalog';
import type { ServiceType } from '@sdo/contracts';

const subscription = { startsOn: '2027-01-01', endsOn: '2027-12-31' };
const flowDefaults = { assignees: { consultant: 'li.wei' }, scope: 'As agreed in the contract' };

/** A valid `parameters` object per service: the documented examples (a spec checks each against the catalog's validation). */
export const PARAMETER_EXAMPLES: Record<ServiceType, Record<string, unknown>> = {
  'custom-dev-maintenance': subscription,
  'maintenance-development': flowDefaults,
  'private-deployment-ops': { operationsUntil: '2027-12-31' },
  'environment-deployment': flowDefaults,
  'system-migration': flowDefaults,
  'performance-optimization': flowDefaults,
  xinchuang: flowDefaults,
  'security-protection': { items: ['vulnerability-scan', 'penetration-test', 'anti-ransomware-check'] },
  'cloud-audit': flowDefaults,
  'data-adjustment-cleanup': flowDefaults,
  'chart-of-accounts-restructuring': flowDefaults,
  training: { courses: ['General ledger for accountants'], sessions: 4 },
  'business-diagnosis': flowDefaults,
  'application-enhancement': flowDefaults,
  'onsite-package': { personDays: 12, validUntil: '2027-06-30' },
  'onsite-service': { personDays: 3, level: 'senior-and-above' },
  'resident-service': { months: 6, startsOn: '2027-01-04', level: 'intermediate' },
  'paas-lab': flowDefaults,
  'legacy-version-ops': subscription,
  upgrade: { packageId: '3d0c6a52-5f1e-4b7c-9a43-6c8f2b1d7e55' },
  'data-migration': {
    targetSchema: 'public',
    mappings: [
      {
        name: 'customers',
        target: 'customer_account',
        source: { table: 'Customer' },
        columns: [
          { target: 'legacy_id', expr: 'CustomerId' },
          { target: 'display_name', expr: "concat(FirstName, ' ', LastName)" },
          { target: 'country', expr: 'Country', default: 'unknown' },
        ],
      },
    ],
  },
  'database-conversion': { targetSchema: 'erp', naming: 'snake', exclude: ['audit_log'] },
  'org-split': { organisations: ['2'], organisationTable: 'organisations' },
  'data-carryover': { cutoffPeriod: '2024-01', tables: [{ table: 'sales_orders', dateColumn: 'order_date' }] },
};

const pascal = (code: string) => code.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());
const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** The per-service start schema's name, e.g. `StartDataMigrationDeliveryDto`. */
export function startSchemaName(serviceType: ServiceType): string {
  return `Start${pascal(serviceType)}DeliveryDto`;
}

/**
 * Describes each automated service's parameters as its own schema. `StartDeliveryDto` becomes a
 * `oneOf` of per-service start schemas, each with `serviceType` fixed to its one value and
 * `parameters` referring to the service's DTO, told apart by `serviceType` (the discriminator);
 * the amendment's `parameters` is a `oneOf` of the parameter DTOs. Documentation only: requests
 * are validated as before (the DTOs, then the catalog per service type).
 */
export function describeServiceParameters(document: OpenAPIObject): OpenAPIObject {
  const schemas = ((document.components ??= {}).schemas ??= {});
  const base = schemas['StartDeliveryDto'] as SchemaObject | undefined;
  if (!base?.properties) return document;
  const services = catalogServices();
  const mapping: Record<string, string> = {};
  for (const service of services) {
    const parametersSchema = service.parameters.name;
    const name = startSchemaName(service.code);
    schemas[name] = {
      ...base,
      description: service.automated
        ? `Start a ${service.name.en} (${service.name.zh}) delivery; environments: ${service.environmentRoles.map((r) => r.role).join(', ')}`
        : `Start a ${service.name.en} (${service.name.zh}) delivery: a catalog flow of human tasks (no environments, no cutover window)`,
      properties: {
        ...base.properties,
        serviceType: { type: 'string', enum: [service.code], description: `Catalog code: ${service.code}` },
        parameters: { ...ref(parametersSchema), description: `${service.name.en} parameters (${parametersSchema})` } as ReferenceObject,
      },
      example: {
        serviceType: service.code,
        customerId: 'CUST-0042',
        orderNo: 'SO-2026-0042',
        environments: Object.fromEntries(service.environmentRoles.map((r, i) => [r.role, `0b9c7f5e-3f0a-4d8e-9a43-6c8f2b1d7e5${i}`])),
        parameters: PARAMETER_EXAMPLES[service.code],
        contractRef: 'CT-2026-118',
        ...(service.automated ? { cutoverWindow: { startsAt: '2026-12-05T22:00:00+08:00', durationMinutes: 240 } } : {}),
      },
    };
    mapping[service.code] = ref(name).$ref;
  }
  schemas['StartDeliveryDto'] = {
    description: 'Start request of a delivery: its shape depends on serviceType (one schema per automated service)',
    oneOf: services.map((s) => ref(startSchemaName(s.code))),
    discriminator: { propertyName: 'serviceType', mapping },
  };
  const amendment = schemas['ParameterAmendmentDto'] as SchemaObject | undefined;
  if (amendment?.properties?.['parameters']) {
    const described = amendment.properties['parameters'] as SchemaObject;
    amendment.properties['parameters'] = {
      description: `${described.description ?? ''} (the delivery's service decides which schema applies)`.trim(),
      oneOf: services.map((s) => ref(s.parameters.name)),
    };
  }
  return document;
}
