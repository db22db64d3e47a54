import { proxyLocalActivities } from '@temporalio/workflow';
import type { FloorActivities } from './activities';

/**
 * Workflows that do nothing but what Temporal itself costs: the floor under any DF operation on
 * this machine. Benchmark code only; DF's own workflows are in workflows/.
 */
const { nothing } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });

/** A start, one workflow task and the result. */
export async function floorEmpty(): Promise<void> {
  return undefined;
}

/** The same with `steps` local activities in a row that do nothing (a connect add has seven). */
export async function floorSteps(steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await nothing();
}
