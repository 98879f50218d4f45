import { Param, ParseIntPipe, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { invalidRequest } from './validation';

/** A path parameter that must be a UUID; a 400 that names it otherwise. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ field: name, reason: 'must be a UUID' }]) });
}

/**
 * `@Param(name, …pipes)` that also documents the parameter in the OpenAPI document with the
 * constraint the API checks, so clients and fuzzers see what a valid value is.
 */
export function PathParam(name: string, schema: SchemaObject, ...pipes: PipeTransform[]): ParameterDecorator {
  return (target, key, index) => {
    Param(name, ...pipes)(target, key, index);
    if (key === undefined) return;
    const method = Object.getOwnPropertyDescriptor(target, key);
    if (method) ApiParam({ name, required: true, schema })(target, key, method);
  };
}

/** A path parameter that must be a UUID: a 400 naming it otherwise, `format: uuid` in the OpenAPI. */
export const UuidParam = (name: string): ParameterDecorator => PathParam(name, { type: 'string', format: 'uuid' }, uuidParam(name));

/** A path parameter that must be a whole number: a 400 naming it otherwise, `type: integer` in the OpenAPI. */
export const IntParam = (name: string): ParameterDecorator =>
  PathParam(name, { type: 'integer' }, new ParseIntPipe({ exceptionFactory: () => invalidRequest([{ field: name, reason: 'must be a whole number' }]) }));
