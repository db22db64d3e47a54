import { fork } from 'node:child_process';
import path from 'node:path';

export interface FakeRasProcessOptions {
  latencyMs: number;
  connectors?: number;
  jobs?: number;
  /** Connector i starts in benchStatusOf(i) (bench/support/seed.ts) instead of RUNNING. */
  benchStates?: boolean;
}

import type { ConnectorState, JobState } from './fake-ras';

/** Engine states to set, by connector name and by job id. */
export interface FakeRasStates {
  connectors?: [string, ConnectorState][];
  jobs?: [string, JobState][];
}

/** What the benchmark asks the fake's process, less the id that pairs it with its reply. */
export type FakeRasAsk = { cmd: 'totalCalls' | 'resetCalls' | 'close' } | { cmd: 'setStates'; states: FakeRasStates };
export type FakeRasRequest = FakeRasAsk & { id: number };
export type FakeRasReply = { id: number; value?: number; urls?: { connectUrl: string; flinkUrl: string } };

/** The FAKE RAS servers of bench/support/fake-ras.ts, run in a child process (fake-ras-main.ts). */
export interface FakeRasProcess {
  pid: number;
  connectUrl: string;
  flinkUrl: string;
  totalCalls(): Promise<number>;
  resetCalls(): Promise<void>;
  setStates(states: FakeRasStates): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeRasProcess(options: FakeRasProcessOptions): Promise<FakeRasProcess> {
  const child = fork(path.join(__dirname, 'fake-ras-main.js'), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (reply: FakeRasReply) => void>();
  child.on('message', (reply: FakeRasReply) => {
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let next = 1;
  const ask = (message: FakeRasAsk) =>
    new Promise<FakeRasReply>((resolve, reject) => {
      const id = next++;
      waiting.set(id, resolve);
      if (!child.send({ ...message, id } satisfies FakeRasRequest)) reject(new Error('the fake RAS process is gone'));
    });
  const ready = await Promise.race([
    new Promise<FakeRasReply>((resolve) => waiting.set(0, resolve)),
    exited.then(() => {
      throw new Error('the fake RAS process exited before it listened');
    }),
  ]);
  const urls = ready.urls as NonNullable<FakeRasReply['urls']>;
  return {
    ...urls,
    pid: child.pid as number,
    totalCalls: async () => (await ask({ cmd: 'totalCalls' })).value ?? 0,
    resetCalls: async () => {
      await ask({ cmd: 'resetCalls' });
    },
    setStates: async (states) => {
      await ask({ cmd: 'setStates', states });
    },
    close: async () => {
      if (child.exitCode !== null) return;
      await Promise.race([ask({ cmd: 'close' }).then(() => exited), new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
