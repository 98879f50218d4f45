import { DeliveryError, DeliveryFailureType, parseScratchEnvironmentRef } from '@sdo/contracts';
import type { ConnectionSettings, EnvironmentDirectory } from '@sdo/persistence';

type Environments = Pick<EnvironmentDirectory, 'connectionFor'>;

/**
 * Lets data activities address a scratch database (`<environmentId>#sdo_scratch_…`) on a registered
 * PostgreSQL environment's server: same host and account, another database. The name is checked by
 * a strict pattern, so a reference can never point anywhere else.
 */
export function withScratchDatabases(environments: Environments): Environments {
  return {
    async connectionFor(ref: string): Promise<ConnectionSettings> {
      const scratch = parseScratchEnvironmentRef(ref);
      if (!scratch) return environments.connectionFor(ref);
      const base = await environments.connectionFor(scratch.environmentId);
      if (base.engine !== 'postgres') {
        throw new DeliveryError(
          DeliveryFailureType.InvalidParameters,
          `Scratch databases live on PostgreSQL servers; environment ${scratch.environmentId} is ${base.engine}.`,
        );
      }
      return { ...base, database: scratch.database };
    },
  };
}
