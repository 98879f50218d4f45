/**
 * The real worker (same workflows, activities, options as apps/worker/src/main.ts) that SIGKILLs
 * itself inside the first attempt of every activity type it has not killed yet: one second into
 * the attempt, or as soon as the attempt finishes if sooner (its result then never reaches
 * Temporal). Run as a process of its own (startWorkerProcess with `entry`); the kill sweep starts
 * a fresh one after each death. SDO_KILL_SWEEP_DIR holds what it did, one JSON object a line:
 *   killed.jsonl  { type, workflowId, attempt, at }   written just before the kill
 *   started.jsonl { type, workflowId, attempt, at }   every attempt this worker began
 *   ready.jsonl   { pid, at }                         each worker polling its task queue
 * The workflow bundle is made once per sweep directory: a restart measures the worker coming back,
 * not webpack on a busy machine.
 */
import 'reflect-metadata';
import { Context } from '@temporalio/activity';
import type { ActivityInboundCallsInterceptor } from '@temporalio/worker';
import { NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createActivities } from '@sdo/activities';
import { loadConfig, temporalConnectionOptions } from '@sdo/config';
import { createAppDataSource, EnvironmentPolicy, migrateAppDatabase } from '@sdo/persistence';
import { buildActivityDeps, createDeliveryWorker, deliveryWorkflowBundle } from '@sdo/worker/testing';

const KILL_AFTER_MS = Number(process.env['SDO_KILL_SWEEP_AFTER_MS'] ?? 1_000);
export const sweepFiles = (dir: string) => ({
  killed: join(dir, 'killed.jsonl'),
  started: join(dir, 'started.jsonl'),
  ready: join(dir, 'ready.jsonl'),
  bundle: join(dir, 'workflow-bundle.json'),
});

export interface SweepEvent {
  type: string;
  workflowId: string;
  attempt: number;
  at: number;
}

export function readEvents(file: string): SweepEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SweepEvent);
}

/** Types this process has chosen to die in (two concurrent first attempts must not both claim a kill). */
const claimed = new Set<string>();

function dieIn(killedFile: string, event: SweepEvent): never {
  appendFileSync(killedFile, `${JSON.stringify({ ...event, at: Date.now() })}\n`);
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; this line is never reached.
  throw new Error('unreachable');
}

const killer = ({ killed: killedFile, started: startedFile }: ReturnType<typeof sweepFiles>): ActivityInboundCallsInterceptor => ({
  async execute(input, next) {
    const info = Context.current().info;
    const event: SweepEvent = { type: info.activityType, workflowId: info.workflowExecution?.workflowId ?? '', attempt: info.attempt, at: Date.now() };
    appendFileSync(startedFile, `${JSON.stringify(event)}\n`);
    const killedBefore = new Set(readEvents(killedFile).map((e) => e.type));
    if (info.attempt !== 1 || killedBefore.has(info.activityType) || claimed.has(info.activityType)) return next(input);
    claimed.add(info.activityType);
    const attempt = next(input);
    attempt.catch(() => undefined);
    await Promise.race([attempt, new Promise((r) => setTimeout(r, KILL_AFTER_MS))]).catch(() => undefined);
    return dieIn(killedFile, event);
  },
});

async function cachedBundle(file: string): Promise<WorkflowBundleWithSourceMap> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as WorkflowBundleWithSourceMap;
  const bundle = await deliveryWorkflowBundle();
  writeFileSync(`${file}.tmp`, JSON.stringify(bundle));
  renameSync(`${file}.tmp`, file);
  return bundle;
}

async function main(): Promise<void> {
  const dir = process.env['SDO_KILL_SWEEP_DIR'];
  if (!dir) throw new Error('SDO_KILL_SWEEP_DIR names the directory of killed.jsonl and started.jsonl');
  const files = sweepFiles(dir);
  const config = loadConfig();
  Runtime.install({ telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' } } } });
  const dataSource = await createAppDataSource(config.databaseUrl).initialize();
  await migrateAppDatabase(dataSource);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  const worker = await createDeliveryWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    payloadKeys: config.payloadKeys,
    activities: createActivities(
      buildActivityDeps(dataSource, config.secretsKey, {
        policy: EnvironmentPolicy.fromConfig(config),
        assessmentRetryBudgetMs: msToNumber(config.assessmentRetryBudget as Duration),
      }),
    ),
    workflowBundle: await cachedBundle(files.bundle),
    identity: `sdo-worker@${hostname()}:${process.pid}`,
    interceptors: { activity: [() => ({ inbound: killer(files) })] },
  });
  appendFileSync(files.ready, `${JSON.stringify({ pid: process.pid, at: Date.now() })}\n`);
  console.log(`killing worker ${process.pid} polling ${config.temporal.taskQueue}`);
  await worker.run();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
