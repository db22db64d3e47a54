/**
 * The run of one auto-restart attempt of a transform: attempt n of a task is made once. Apart from
 * the auto-restart policy (auto-restart.ts) because workflows use it: the policy's schema library
 * would otherwise be bundled into, and evaluated again in, every workflow run.
 */
export function transformRestartWorkflowId(taskId: string, attempt: number): string {
  return `df-transform-restart-${taskId}-${attempt}`;
}
