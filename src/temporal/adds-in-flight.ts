import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { workflowIds } from '../protocol/workflow-ids';
import type * as workflows from '../../workflows';

export type AddedCategory = 'CONNECT' | 'TRANSFORM';

/** Named in a visibility query; the type checks the names against the worker's registration (workflows/index.ts). */
const ADD_TYPE: Record<AddedCategory, keyof typeof workflows> = { CONNECT: 'connectAdd', TRANSFORM: 'transformAdd' };
const ADD_ID: Record<AddedCategory, (taskId: string) => string> = {
  CONNECT: workflowIds.connectAdd,
  TRANSFORM: workflowIds.transformAdd,
};

/**
 * The id of a run adding this task that has not ended, if any. Until such an add has recorded the
 * task (and taken its lock) the task is nowhere else to be seen, yet an operation on it must wait
 * for it rather than be told the task does not exist. An add without Idempotency-Key is found by
 * its id at once; one with a key through Temporal's visibility, which may trail its start a moment.
 */
export async function runningAddOf(
  client: Client,
  taskId: string,
  category: AddedCategory,
): Promise<string | undefined> {
  const plain = ADD_ID[category](taskId);
  try {
    const { status } = await client.workflow.getHandle(plain).describe();
    if (status.name === 'RUNNING') return plain;
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  // Task ids are letters, digits, ".", "_" and "-": nothing to escape in the query. The prefix also
  // matches the plain add of a longer id ("<id>-x"); waiting for that one only delays the caller.
  const keyed = client.workflow.list({
    query: `WorkflowType = '${ADD_TYPE[category]}' AND ExecutionStatus = 'Running' AND WorkflowId STARTS_WITH '${plain}-'`,
    pageSize: 1,
  });
  try {
    for await (const run of keyed) return run.workflowId;
  } catch {
    // A visibility store without STARTS_WITH: keyed adds go unseen here, as they did before, rather
    // than every delete failing; Temporal itself away already failed the describe above.
  }
  return undefined;
}
