import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldProblem, fieldProblems } from '@sdo/catalog';

/** A 400 that names each field and what is wrong with it. */
export function invalidRequest(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({ message: problems.map((p) => `${p.field} ${p.reason}`).join('; '), details: problems });
}

/** Unknown fields are refused (no mass assignment); values are converted to the DTO's types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => invalidRequest(fieldProblems(errors)),
  });
}
