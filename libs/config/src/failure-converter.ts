import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (`failureConverterPath`) in clients, workers and inside the workflow bundle: a
 * failure's message and stack trace travel as an encoded payload, which the payload codec then
 * seals, because they can name hosts, tables or SQL. Keep this module free of Node imports: it
 * runs in the workflow sandbox too.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
