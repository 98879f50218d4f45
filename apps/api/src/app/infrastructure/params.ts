import { ParseUUIDPipe } from '@nestjs/common';
import { invalidRequest } from './validation';

/** A path parameter that must be a UUID; a 400 that names it otherwise. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => invalidRequest([{ field: name, reason: 'must be a UUID' }]) });
}
