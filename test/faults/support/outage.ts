import type { DfApp } from '../../support/df-app';
import { stackAsync } from '../../support/stack';
import { eventually } from '../../support/wait';
import { ConnectPlan, InFlight, OpOutcome, runConnectPlan } from './connect-operations';

export interface OutageFigures {
  outcomes: OpOutcome[];
  /** Operations submitted and not yet ended when the service had gone. */
  inFlightAtStop: number;
  /** From the service's exit until `stack up` returned: it answers again. */
  outageMs: number;
  /** Operations that ended, well or not, while the service was down (before it was started again). */
  endedDuringOutage: number;
}

/**
 * Runs the plan and stops one service of the stack once `startAfter` operations have ended, keeps
 * it down for `downMs` (running `whileDown` meanwhile), then starts it again and lets the plan finish.
 */
export async function runThroughOutage(
  app: DfApp,
  plan: ConnectPlan,
  outage: { service: string; downMs: number; startAfter: number; concurrency: number; whileDown?: () => Promise<void> },
): Promise<OutageFigures> {
  const inFlight = new InFlight();
  const running = runConnectPlan(app.api, app.temporal.client, plan, { concurrency: outage.concurrency }, inFlight);
  await eventually(
    `${outage.startAfter} operations done before stopping ${outage.service}`,
    async () => (inFlight.completed >= outage.startAfter ? true : undefined),
    300_000,
    100,
  );
  // A service stops gracefully, serving what it has in hand meanwhile: the outage counts from its end.
  await stackAsync('down', outage.service);
  const stopped = Date.now();
  const inFlightAtStop = inFlight.count;
  const endedBefore = inFlight.completed;
  let endedDuringOutage = 0;
  try {
    await Promise.all([outage.whileDown?.(), new Promise((r) => setTimeout(r, outage.downMs))]);
  } finally {
    endedDuringOutage = inFlight.completed - endedBefore;
    await stackAsync('up', outage.service);
  }
  const outageMs = Date.now() - stopped;
  return { outcomes: await running, inFlightAtStop, outageMs, endedDuringOutage };
}
