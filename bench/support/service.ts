import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../../test/support/built-service';

import { ENV_DEFAULTS } from '../../src/config';
import { connectTemporal } from '../../src/temporal/client';
import { workflowIds } from '../../src/protocol/workflow-ids';
import { REPO_ROOT } from './context';

const DIST = path.join(REPO_ROOT, 'dist');

export interface BenchService {
  baseUrl: string;
  taskQueue: string;
  pid: number;
  /** Resident set size of the service process now, in MB (Linux /proc). */
  rssMb(): number;
  stop(): Promise<void>;
}

function rssMbOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return kb / 1024;
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => resolve(false));
  });
}

/**
 * The built service (`node dist/src/main.js`, or api-main/worker-main) as users run it, in its own
 * process so its latency and memory are its own, with quiet logs.
 */
export async function startBenchService(
  env: Record<string, string>,
  entry: 'main' | 'api-main' | 'worker-main' = 'main',
): Promise<BenchService> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      path.join(DIST, 'src', `${entry}.js`),
    ],
    {
      // MALLOC_ARENA_MAX as npm start sets it (package.json), unless the caller sets another.
      env: {
        MALLOC_ARENA_MAX: '2',
        DF_DEV_MODE: 'true',
        ...process.env,
        ...env,
        DF_LOG_LEVEL: 'warn',
        DF_WORKER_METRICS: 'off',
        DF_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (entry !== 'worker-main' && !(await answers(`${baseUrl}/api/openapi.json`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    taskQueue: env.DF_TASK_QUEUE ?? ENV_DEFAULTS.DF_TASK_QUEUE,
    pid: child.pid as number,
    rssMb: () => rssMbOf(child.pid as number),
    async stop() {
      if (env.DF_SYNC_INTERVAL && env.DF_SYNC_INTERVAL !== '0' && env.DF_TASK_QUEUE) {
        // The schedule outlives the service in Temporal: remove this benchmark deployment's.
        const temporal = await connectTemporal(
          { address: env.TEMPORAL_ADDRESS ?? ENV_DEFAULTS.TEMPORAL_ADDRESS },
          env.TEMPORAL_NAMESPACE ?? ENV_DEFAULTS.TEMPORAL_NAMESPACE,
        );
        await temporal.client.schedule
          .getHandle(workflowIds.statusSyncSchedule(env.DF_TASK_QUEUE))
          .delete()
          .catch(() => undefined);
        await temporal.close();
      }
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
