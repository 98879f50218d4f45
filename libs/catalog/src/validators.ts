import { Type } from 'class-transformer';
import { IsObject, registerDecorator, ValidateIf, ValidateNested, type ValidationOptions } from 'class-validator';

/** Like IsNotEmpty for text, but `" "` is empty too: a name must have something to show. */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotBlank',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: 'must not be empty or only spaces', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 },
    });
}

/** Optional, but not nullable: absent is fine, `null` is validated (and refused) like any other wrong value. */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/**
 * A nested object validated as `type`: arrays, strings, numbers and null are refused with the
 * field's name (ValidateNested alone lets `[]` through, and class-transformer turns it into an array).
 */
export function IsNestedObject(type: () => new () => object, options: { each?: boolean } = {}): PropertyDecorator {
  const decorators = [
    IsObject({ each: options.each, message: options.each ? 'must be a list of objects' : 'must be an object' }),
    ValidateNested({ each: options.each }),
    Type(type),
  ];
  return (object: object, propertyName: string | symbol) => decorators.forEach((decorate) => decorate(object, propertyName));
}

/** A string, number or boolean (and `null` where `nullable`): never an object or an array. */
export function IsScalar(options: { nullable?: boolean; list?: boolean } = {}, validationOptions?: ValidationOptions): PropertyDecorator {
  const scalar = (v: unknown) =>
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (options.nullable === true && v === null);
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isScalar',
      target: object.constructor,
      propertyName: String(propertyName),
      options: {
        message: `must be a string, a number or a boolean${options.nullable ? ' (or null)' : ''}${options.list ? ', or a list of strings and numbers' : ''}`,
        ...validationOptions,
      },
      validator: {
        validate: (value: unknown) =>
          scalar(value) ||
          (options.list === true &&
            Array.isArray(value) &&
            value.length <= 1000 &&
            value.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))),
      },
    });
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO-8601 instant with an explicit offset whose calendar fields exist: `2026-02-30` and
 * `2027-13-01` match the pattern but are refused (Date.parse turns 30 February into 2 March).
 */
export function isIsoInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  // Round-trip the date through UTC: a day that does not exist in that month comes back different.
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && !Number.isNaN(Date.parse(value));
}

export function IsIsoInstant(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isIsoInstant',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be an ISO-8601 instant with an offset that exists in the calendar, e.g. 2026-12-05T22:00:00+08:00', ...options },
      validator: { validate: isIsoInstant },
    });
}

/** `{ key: text | null }`: a flat map of texts, nothing nested. */
export function IsTextMap(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTextMap',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: 'must map each old value to a text (or null)', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => v === null || typeof v === 'string'),
      },
    });
}
