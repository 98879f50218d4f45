/**
 * A form generated from a JSON schema of /docs-json (a service's parameters): strings, numbers,
 * booleans and enums get inputs; nested objects and arrays are edited as JSON. What the API
 * refuses comes back as its 400 naming the field.
 */
export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  $ref?: string;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  example?: unknown;
  minimum?: number;
  maximum?: number;
}

export interface OpenApiDocument {
  components: { schemas: Record<string, JsonSchema> };
}

export function resolveSchema(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (schema.$ref) return resolveSchema(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {});
  if (schema.allOf?.length === 1) return { ...schema, ...resolveSchema(doc, schema.allOf[0]!), allOf: undefined };
  return schema;
}

const pascal = (code: string) => code.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());

/** The parameter schema of a service: `Start<Service>DeliveryDto.parameters`, as /docs-json publishes it. */
export function parameterSchemaOf(doc: OpenApiDocument, serviceType: string): JsonSchema | null {
  const start = doc.components.schemas[`Start${pascal(serviceType)}DeliveryDto`];
  const parameters = start?.properties?.['parameters'];
  return parameters ? resolveSchema(doc, parameters) : null;
}

export type FieldKind = 'text' | 'number' | 'boolean' | 'enum' | 'json' | 'upgradePackage';

export function fieldKind(doc: OpenApiDocument, raw: JsonSchema): FieldKind {
  const schema = resolveSchema(doc, raw);
  if (schema.enum) return 'enum';
  if (schema.type === 'string' && schema.format === 'uuid' && /upgrade-packages/.test(schema.description ?? '')) return 'upgradePackage';
  if (schema.type === 'string') return 'text';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (schema.type === 'boolean') return 'boolean';
  return 'json';
}

/** The form's text values as the parameters object: empty optional fields left out, JSON fields parsed (a bad one names itself). */
export function parametersFrom(doc: OpenApiDocument, schema: JsonSchema, values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const value = values[name] ?? '';
    if (value === '') continue;
    const kind = fieldKind(doc, raw);
    if (kind === 'number') out[name] = Number(value);
    else if (kind === 'boolean') out[name] = value === 'true';
    else if (kind === 'json') {
      try {
        out[name] = JSON.parse(value);
      } catch {
        throw { status: 400, message: 'Not valid JSON', details: [{ field: `parameters.${name}`, reason: 'must be valid JSON' }] };
      }
    } else out[name] = value;
  }
  return out;
}
