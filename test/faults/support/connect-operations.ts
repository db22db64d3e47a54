import type { AxiosInstance, AxiosResponse } from 'axios';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ConnectStatusReport, dfStatusOfConnect } from '../../../src/domain/status';
import type { TaskRepository } from '../../../src/repository/task-repository';
import { uniqueName } from '../../support/stack';

/**
 * A mixed run of connect operations, as a client that means to get each one done exactly once
 * would send them: every request carries an Idempotency-Key and asks for the 202 at once, a request
 * the API could not take (network fault, 5xx) is sent again with the same key, and the run's result
 * is awaited from Temporal, riding out a moment when Temporal itself is away.
 */

export type ConnectOpKind = 'add' | 'update' | 'pause' | 'resume' | 'describe' | 'delete';

export interface ConnectOp {
  connect: string;
  kind: ConnectOpKind;
  /** The Idempotency-Key every submission of this operation carries. */
  key: string;
}

/** What the repository and Kafka Connect must both hold for a connect once its lane has run. */
export interface ExpectedConnect {
  id: string;
  kept: boolean;
  status: 'RUNNING' | 'PAUSED';
  /** add = 1, then one per edit that applied. */
  revision: number;
  batchSize: string;
  description?: string;
}

export interface ConnectPlan {
  /** Each lane's operations run one after another; lanes run side by side. */
  lanes: ConnectOp[][];
  expected: ExpectedConnect[];
  size: number;
  /** Where the connects' source files are. */
  fileDir: string;
}

export interface OpOutcome {
  op: ConnectOp;
  /** How many times the request was sent before the API took it. */
  submits: number;
  workflowId?: string;
  ok: boolean;
  error?: string;
  /** When the first submission was sent, and when the operation ended (Date.now()). */
  startedAt: number;
  endedAt: number;
}

/**
 * `lanes` FileStreamSource connects with five operations each: add, update of the config, pause,
 * then either resume and delete (even lanes) or an edit of the description and resume (odd
 * lanes, which stay for the final comparison).
 */
export function mixedConnectPlan(prefix: string, lanes: number, fileDir: string): ConnectPlan {
  const plan: ConnectPlan = { lanes: [], expected: [], size: 0, fileDir };
  for (let i = 0; i < lanes; i++) {
    const connect = uniqueName(`${prefix}${i}`);
    const op = (kind: ConnectOpKind): ConnectOp => ({ connect, kind, key: uniqueName('op') });
    const kept = i % 2 === 1;
    const ops = kept
      ? [op('add'), op('update'), op('pause'), op('describe'), op('resume')]
      : [op('add'), op('update'), op('pause'), op('resume'), op('delete')];
    plan.lanes.push(ops);
    plan.size += ops.length;
    plan.expected.push({
      id: connect,
      kept,
      status: 'RUNNING',
      revision: kept ? 3 : 2,
      batchSize: '7',
      ...(kept ? { description: `described ${connect}` } : {}),
    });
  }
  return plan;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function send(api: AxiosInstance, plan: ConnectPlan, op: ConnectOp): Promise<AxiosResponse> {
  const headers = { 'Idempotency-Key': op.key, Prefer: 'respond-async' };
  const id = encodeURIComponent(op.connect);
  switch (op.kind) {
    case 'add':
      return api.post(
        '/ps',
        {
          id: op.connect,
          name: op.connect,
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorConfig: { file: `${plan.fileDir}/${op.connect}.txt`, topic: op.connect, 'batch.size': '3' },
        },
        { headers },
      );
    case 'update':
      return api.patch(`/ps/${id}`, { connectorConfig: { 'batch.size': '7' } }, { headers });
    case 'describe':
      return api.patch(`/ps/${id}`, { description: `described ${op.connect}` }, { headers });
    case 'pause':
    case 'resume':
      return api.post(`/ps/${id}/${op.kind}`, undefined, { headers });
    case 'delete':
      return api.delete(`/ps/${id}`, { headers });
  }
}

export interface RunOptions {
  /** Lanes in flight at once. */
  concurrency: number;
  /** How long one operation may take, resubmissions and waiting for its result included. */
  opTimeoutMs?: number;
}

/** Operations submitted and not yet ended: what a fault injected now hits. */
export class InFlight {
  count = 0;
  completed = 0;
}

/** Runs the plan's lanes; resolves with every operation's outcome (never rejects for a failed one). */
export async function runConnectPlan(
  api: AxiosInstance,
  temporal: Client,
  plan: ConnectPlan,
  options: RunOptions,
  inFlight = new InFlight(),
): Promise<OpOutcome[]> {
  const outcomes: OpOutcome[] = [];
  const pending = [...plan.lanes];
  async function lane(): Promise<void> {
    for (let ops = pending.shift(); ops; ops = pending.shift()) {
      for (const op of ops) {
        inFlight.count++;
        const outcome = await perform(api, temporal, plan, op, options.opTimeoutMs ?? 600_000);
        inFlight.count--;
        inFlight.completed++;
        outcomes.push(outcome);
        if (!outcome.ok) break; // the lane's later steps depend on this one
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return outcomes;
}

async function perform(
  api: AxiosInstance,
  temporal: Client,
  plan: ConnectPlan,
  op: ConnectOp,
  timeoutMs: number,
): Promise<OpOutcome> {
  const startedAt = Date.now();
  const ended = (outcome: Omit<OpOutcome, 'startedAt' | 'endedAt'>): OpOutcome => ({
    ...outcome,
    startedAt,
    endedAt: Date.now(),
  });
  const deadline = startedAt + timeoutMs;
  let submits = 0;
  let res: AxiosResponse | undefined;
  // The API not taking a request (it cannot reach Temporal, say) is answered by sending it again.
  while (Date.now() < deadline) {
    submits++;
    res = await send(api, plan, op).catch(() => undefined);
    if (res && res.status < 500) break;
    await sleep(1000);
  }
  if (!res || res.status >= 300) {
    // A delete retried after its first submission went through finds the connect gone: done.
    if (op.kind === 'delete' && submits > 1 && res?.status === 404) return ended({ op, submits, ok: true });
    return ended({
      op,
      submits,
      ok: false,
      error: res ? `${res.status} ${JSON.stringify(res.data)}` : 'never accepted',
    });
  }
  const workflowId = String(res.headers['x-df-workflow-id']);
  const runId = String(res.headers['x-df-run-id']);
  while (Date.now() < deadline) {
    try {
      await temporal.workflow.getHandle(workflowId, runId).result();
      return ended({ op, submits, workflowId, ok: true });
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        return ended({ op, submits, workflowId, ok: false, error: `${error.cause?.message ?? error.message}` });
      }
      await sleep(1000); // Temporal unreachable for a moment: ask again
    }
  }
  return ended({ op, submits, workflowId, ok: false, error: `no result within ${timeoutMs} ms` });
}

/**
 * Where the repository and Kafka Connect disagree with each other or with the plan, once it has
 * run: one line per difference; empty when every connect is as the plan says, on both sides.
 */
export async function connectDisagreements(
  tasks: TaskRepository,
  connect: AxiosInstance,
  plan: ConnectPlan,
): Promise<string[]> {
  const listed = await connect.get<
    Record<string, { status: ConnectStatusReport; info: { config: Record<string, string> } }>
  >('/connectors?expand=status&expand=info');
  if (listed.status !== 200) return [`Kafka Connect answered ${listed.status}: ${JSON.stringify(listed.data)}`];
  const connectors = listed.data;
  const problems: string[] = [];
  for (const want of plan.expected) {
    const task = await tasks.get(want.id);
    const inConnect = connectors[want.id];
    if (!want.kept) {
      if (task) problems.push(`${want.id}: deleted, but the repository still has it (${task.status})`);
      if (inConnect) problems.push(`${want.id}: deleted, but Kafka Connect still runs it`);
      continue;
    }
    if (!task || !inConnect) {
      problems.push(`${want.id}: kept, but ${!task ? 'the repository' : 'Kafka Connect'} has no such connect`);
      continue;
    }
    const connectStatus = dfStatusOfConnect(inConnect.status).status;
    if (task.status !== want.status || connectStatus !== want.status) {
      problems.push(
        `${want.id}: status ${task.status} in the repository, ${connectStatus} in Kafka Connect; expected ${want.status}`,
      );
    }
    if (task.revision !== want.revision)
      problems.push(`${want.id}: revision ${task.revision}, expected ${want.revision} (an edit lost or applied twice)`);
    if (want.description !== undefined && task.description !== want.description)
      problems.push(`${want.id}: description ${task.description}`);
    if (JSON.stringify(sorted(task.connectorConfig)) !== JSON.stringify(sorted(inConnect.info.config))) {
      problems.push(
        `${want.id}: config differs: repository ${JSON.stringify(task.connectorConfig)}, Kafka Connect ${JSON.stringify(inConnect.info.config)}`,
      );
    }
    if (inConnect.info.config['batch.size'] !== want.batchSize)
      problems.push(`${want.id}: batch.size ${inConnect.info.config['batch.size']}, expected ${want.batchSize}`);
  }
  return problems;
}

function sorted(map: Record<string, string>): [string, string][] {
  return Object.entries(map).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Every operation of the plan that did not end well, one line each, and a line for the operations
 * a failure kept from running; `count` is how many operations that makes.
 */
export function lostOperations(plan: ConnectPlan, outcomes: OpOutcome[]): { lines: string[]; count: number } {
  const failed = outcomes.filter((o) => !o.ok).map((o) => `${o.op.kind} ${o.op.connect}: ${o.error}`);
  const never = plan.size - outcomes.length;
  const lines = never > 0 ? [...failed, `${never} operations never ran (their lane stopped at a failure)`] : failed;
  return { lines, count: failed.length + never };
}

/**
 * How long the deployment took to serve again after a fault at `faultAt`: until the first operation
 * sent after the fault ended well. Undefined when none did.
 */
export function recoveryMs(outcomes: OpOutcome[], faultAt: number): number | undefined {
  const after = outcomes.filter((o) => o.ok && o.startedAt >= faultAt).map((o) => o.endedAt - faultAt);
  return after.length > 0 ? Math.min(...after) : undefined;
}

/** The line each scenario prints for the closing note. */
export function scenarioLine(name: string, figures: Record<string, string | number>): string {
  return `[faults] ${name}: ${Object.entries(figures)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}\n`;
}
