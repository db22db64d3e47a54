import { spawn } from 'node:child_process';
import path from 'node:path';

/** The floor service (service-main.ts) in a process of its own, as DF's service runs. */
export interface FloorService {
  baseUrl: string;
  taskQueue: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startFloorService(env: Record<string, string>): Promise<FloorService> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      path.join(__dirname, 'service-main.js'),
    ],
    { env: { MALLOC_ARENA_MAX: '2', ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    void exited.then(() => reject(new Error(`the floor service exited before it listened:\n${output}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    taskQueue: env.FLOOR_TASK_QUEUE,
    pid: child.pid as number,
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
