/**
 * The process the crash test kills: copies table `big` and, when asked, SIGKILLs itself right
 * after the n-th chunk commit of this run (the "commit-then-crash" case).
 *   SDO_SRC_URL, SDO_DST_URL, SDO_JOB, SDO_ATTEMPT (sequence number), SDO_CHUNK_ROWS, SDO_KILL_AFTER_COMMIT
 */
import { buildCopyPlan, copyTable, PgTarget, PostgresConnector } from '../index';

/** With SDO_WAIT_FOR_GO=1 the process loads everything, then waits for a line on stdin before touching a database. */
async function go(): Promise<void> {
  if (process.env['SDO_WAIT_FOR_GO'] !== '1') return;
  process.stdout.write('READY\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.destroy();
}

async function main(): Promise<void> {
  await go();
  const env = (k: string) => process.env[k] ?? '';
  const source = new PostgresConnector(env('SDO_SRC_URL'));
  const target = new PgTarget(env('SDO_DST_URL'));
  const killAfter = Number(env('SDO_KILL_AFTER_COMMIT') || 0);
  const seq = Number(env('SDO_ATTEMPT'));
  let commits = 0;
  const plan = await buildCopyPlan(source, { jobId: env('SDO_JOB'), targetSchema: 'public', tables: ['big'] });
  const r = await copyTable(source, target, {
    plan,
    table: 'big',
    attempt: { id: `attempt-${seq}`, seq },
    chunkRows: Number(env('SDO_CHUNK_ROWS')),
    afterChunkCommit: () => {
      commits++;
      if (killAfter && commits === killAfter) process.kill(process.pid, 'SIGKILL');
    },
  });
  process.stdout.write(`DONE ${JSON.stringify(r)}\n`);
  await source.close();
  await target.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(2);
});
