import { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const HISTORIES = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Saves a finished run's history for the replay tests when SDO_RECORD_HISTORIES=1
 * (`SDO_RECORD_HISTORIES=1 tools/scripts/with-test-stack.sh npx jest -c test/jest.config.ts test/integration`).
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env['SDO_RECORD_HISTORIES'] !== '1') return;
  writeFileSync(join(HISTORIES, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}

export function savedHistories(workflowType: string): { workflowId: string; history: ReturnType<typeof historyFromJSON> }[] {
  if (!existsSync(HISTORIES)) return [];
  return readdirSync(HISTORIES)
    .filter((f) => f.startsWith(`${workflowType}-`) && f.endsWith('.json'))
    .map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, f), 'utf8'))) }));
}
