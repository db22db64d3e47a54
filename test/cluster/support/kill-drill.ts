import fs from 'node:fs/promises';
import { dataTempDir } from '../../support/df-app';
import { eventually } from '../../support/wait';
import {
  ConnectPlan,
  InFlight,
  lostOperations,
  mixedConnectPlan,
  OpOutcome,
  recoveryMs,
  runConnectPlan,
  scenarioLine,
} from '../../faults/support/connect-operations';
import { runsPerConnect } from '../../faults/support/fault-app';
import { ClusterDeployment, killProcess, reviveService } from './cluster';

export interface KillFigures {
  outcomes: OpOutcome[];
  /** Operations submitted and not yet ended when the process was killed. */
  inFlightAtKill: number;
  /** HTTP requests sent to the API and not yet answered at the kill. */
  requestsAtKill: number;
  killedAt: number;
  /** From the kill until the first operation sent after it ended well. */
  recoveryMs?: number;
}

export interface KillDrill {
  /** The process killed (`stack.sh kill`), and the service it belongs to. */
  process: string;
  service: string;
  /** Operations ended before the kill. */
  killAfter: number;
  /** When the killed process is started again: after this long, or only once the plan has run. */
  reviveAfterMs: number | 'at-end';
  /** Kill only while an HTTP request to the API is unanswered (a kill mid-request). */
  midRequest?: boolean;
}

/** A mixed connect plan for one drill, its files in a folder of DF's data directory. */
export async function drillPlan(
  cluster: ClusterDeployment,
  prefix: string,
  lanes: number,
): Promise<{ plan: ConnectPlan; removeFiles(): Promise<void> }> {
  const dir = await dataTempDir(cluster, `df-cluster-${prefix}-`);
  return {
    plan: mixedConnectPlan(prefix, lanes, dir),
    removeFiles: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Runs the plan through the API processes in turn, kills one process of the cluster once
 * `killAfter` operations have ended, starts it again when the drill says, and lets the plan finish.
 */
export async function runThroughKill(
  cluster: ClusterDeployment,
  plan: ConnectPlan,
  drill: KillDrill,
  concurrency: number,
): Promise<KillFigures> {
  const inFlight = new InFlight();
  const running = runConnectPlan(cluster.api, cluster.temporal.client, plan, { concurrency }, inFlight);
  await eventually(
    `${drill.killAfter} operations done before killing ${drill.process}`,
    async () => (inFlight.completed >= drill.killAfter ? true : undefined),
    300_000,
    50,
  );
  if (drill.midRequest) {
    await eventually('a request in flight', async () => (cluster.requestsInFlight() > 0 ? true : undefined), 60_000, 1);
  }
  const requestsAtKill = cluster.requestsInFlight();
  const inFlightAtKill = inFlight.count;
  const killedAt = await killProcess(drill.process);
  let outcomes: OpOutcome[];
  const revive = drill.reviveAfterMs;
  if (revive === 'at-end') {
    outcomes = await running;
    await reviveService(drill.service);
  } else {
    await new Promise((r) => setTimeout(r, revive));
    await reviveService(drill.service);
    outcomes = await running;
  }
  return { outcomes, inFlightAtKill, requestsAtKill, killedAt, recoveryMs: recoveryMs(outcomes, killedAt) };
}

/** The scenario's line for the closing note, and what every drill must hold: nothing lost, one run per operation. */
export async function reportAndCheck(
  cluster: ClusterDeployment,
  name: string,
  plan: ConnectPlan,
  figures: KillFigures,
  extra: Record<string, string | number> = {},
): Promise<void> {
  const lost = lostOperations(plan, figures.outcomes);
  const runs = await runsPerConnect(cluster, plan);
  process.stdout.write(
    scenarioLine(name, {
      operations: figures.outcomes.length,
      'faults injected': 1,
      'operations in flight at the fault': figures.inFlightAtKill,
      'requests in flight at the fault': figures.requestsAtKill,
      'operations lost': lost.count,
      'resubmitted requests': figures.outcomes.filter((o) => o.submits > 1).length,
      'seconds to recover': figures.recoveryMs === undefined ? 'never' : (figures.recoveryMs / 1000).toFixed(1),
      ...extra,
    }),
  );
  expect(figures.inFlightAtKill).toBeGreaterThan(0);
  expect(lost.lines).toEqual([]);
  expect(figures.outcomes).toHaveLength(plan.size);
  // One run per operation: none was started twice, whichever process died under it.
  expect(runs.filter((r) => r.runs !== r.operations)).toEqual([]);
}

/** Deletes through DF the connects a drill kept, so the deployment is left as it was found. */
export async function deleteKept(cluster: ClusterDeployment, plan: ConnectPlan): Promise<void> {
  for (const want of plan.expected.filter((e) => e.kept)) {
    await cluster.api.delete(`/ps/${encodeURIComponent(want.id)}`).catch(() => undefined);
  }
}
