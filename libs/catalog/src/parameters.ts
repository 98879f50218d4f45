import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { IsUUID, validateSync, ValidationError } from 'class-validator';
import type { UpgradeParameters } from '@sdo/contracts';

/** Parameters of an upgrade delivery (升级服务). */
export class UpgradeParametersDto implements UpgradeParameters {
  @ApiProperty({ description: 'ID of a registered upgrade package (POST /v1/upgrade-packages) to bring the target to', format: 'uuid' })
  @IsUUID()
  packageId!: string;
}

/** One thing wrong with a request, named by the field's path (e.g. `parameters.packageId`). */
export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * Flattens class-validator errors into one problem per field path. The reason drops the property
 * name class-validator puts first ("packageId must be a UUID" → "must be a UUID"), since the
 * field is named separately; several reasons for one field are joined with "; ".
 */
export function fieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const reasons = Object.entries(error.constraints ?? {}).map(([constraint, message]) =>
      constraint === 'whitelistValidation'
        ? 'is not a known field'
        : message.startsWith(`${error.property} `)
          ? message.slice(error.property.length + 1)
          : message,
    );
    if (reasons.length) problems.push({ field, reason: reasons.join('; ') });
    if (error.children?.length) problems.push(...fieldProblems(error.children, field));
  }
  return problems;
}

/**
 * Validates a service's `parameters` against the catalog's DTO: unknown fields are refused.
 * Returns the typed parameters, or the problems with paths under `prefix`.
 */
export function validateParameters<T extends object>(
  dto: new () => T,
  raw: unknown,
  prefix = 'parameters',
): { ok: true; value: T } | { ok: false; problems: FieldProblem[] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ field: prefix, reason: 'must be an object' }] };
  }
  const value = plainToInstance(dto, raw);
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.length ? { ok: false, problems: fieldProblems(errors, prefix) } : { ok: true, value };
}
