import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { answerOutcome } from '../../../workflows/operation';
import type { FloorActivities } from './activities';

/**
 * Workflows that do nothing but what Temporal itself costs: the floor under any DF operation on
 * this machine. Benchmark code only; DF's own workflows are in workflows/.
 */
const { nothing } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });
const remote = proxyActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });

/** A start, one workflow task and the result. */
export async function floorEmpty(): Promise<void> {
  return undefined;
}

/** The same with `steps` local activities in a row that do nothing (a connect add has seven). */
export async function floorSteps(steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await nothing();
}

/**
 * An operation's shape with no work in it: `steps` no-op local activities, the outcome update
 * answered, then one no-op activity of its own (where a DF operation releases the task's lock).
 */
export async function floorOperation(steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await nothing();
  answerOutcome(undefined);
  await remote.nothing();
}
