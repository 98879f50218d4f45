import { registerDecorator, ValidationOptions } from 'class-validator';

/** Area/Location names as the IANA database spells them (`Europe/Berlin`, `America/Argentina/Buenos_Aires`, `UTC`, `Etc/GMT-8`). */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]{0,29}(\/[A-Za-z0-9][A-Za-z0-9_+-]{0,29}){0,2}$/;

/** Why a customer time zone is refused, or null when it is an IANA zone this runtime's Intl knows. */
export function timeZoneProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  // Offsets such as +08:00 are not zones: they say nothing about daylight saving time.
  if (!IANA_NAME.test(value)) return 'must be an IANA time zone name such as Asia/Shanghai or Europe/Berlin';
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return null;
  } catch {
    return `is not a time zone known to the IANA database (e.g. Asia/Shanghai, Europe/Berlin)`;
  }
}

export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimeZone',
      target: object.constructor,
      propertyName: String(propertyName),
      options: { message: (args) => timeZoneProblem(args.value) ?? 'must be an IANA time zone', ...options },
      validator: { validate: (value: unknown) => timeZoneProblem(value) === null },
    });
}
