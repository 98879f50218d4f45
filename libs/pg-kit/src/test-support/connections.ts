import { DeliveryError, DeliveryFailureType } from '@sdo/contracts';
import type { TargetConnection } from '../connection';

/** The toolkit's connection to a scratch database given by URL. */
export function targetConnectionOf(url: string): TargetConnection {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

/** Awaits `p`, expects it to reject with a DeliveryError of `type`, and returns that error. */
export async function expectDeliveryError(p: Promise<unknown>, type: DeliveryFailureType): Promise<DeliveryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  expect((err as DeliveryError).type).toBe(type);
  return err as DeliveryError;
}
