/** The task queue a deployment uses unless DF_TASK_QUEUE names another (src/config.ts). */
export const DEFAULT_TASK_QUEUE = 'datafibers';

/**
 * Workflow ids come from the business key, so the same operation on the same thing is never
 * running twice at once: an add or delete of one task joins (or refuses) the run already under way;
 * updates and actions carry a request key (Idempotency-Key, else a fresh one) and queue on the
 * task's lock.
 */
export const workflowIds = {
  /**
   * Reads that concurrent requests share are scoped to the deployment too: a read started by a
   * deployment whose worker is gone would otherwise hold every later read of another one.
   */
  installedList: (taskQueue: string): string => deploymentScoped('df-installed-list', taskQueue),
  /** An add sent with an Idempotency-Key runs once per key: a repeat answers with that run. */
  connectAdd: (taskId: string, requestKey?: string): string =>
    `df-connect-add-${taskId}${requestKey ? `-${requestKey}` : ''}`,
  connectUpdate: (taskId: string, requestKey: string): string => `df-connect-update-${taskId}-${requestKey}`,
  connectAction: (taskId: string, action: string, requestKey: string): string =>
    `df-connect-${action}-${taskId}-${requestKey}`,
  /** Apart from connectAction's `df-connect-restart-…`: a task restart names the task it restarts. */
  connectTaskRestart: (taskId: string, task: number, requestKey: string): string =>
    `df-connect-task-restart-${taskId}-${task}-${requestKey}`,
  connectOffsets: (taskId: string, change: string, requestKey: string): string =>
    `df-connect-offsets-${change}-${taskId}-${requestKey}`,
  connectDelete: (taskId: string): string => `df-connect-delete-${taskId}`,
  connectRollback: (taskId: string, requestKey: string): string => `df-connect-rollback-${taskId}-${requestKey}`,
  connectList: (requestKey: string): string => `df-connect-list-${requestKey}`,
  schemaList: (taskQueue: string): string => deploymentScoped('df-schema-list', taskQueue),
  schemaAdd: (subject: string): string => `df-schema-add-${subject}`,
  schemaUpdate: (subject: string, requestKey: string): string => `df-schema-update-${subject}-${requestKey}`,
  transformAdd: (taskId: string, requestKey?: string): string =>
    `df-transform-add-${taskId}${requestKey ? `-${requestKey}` : ''}`,
  transformUpdate: (taskId: string, requestKey: string): string => `df-transform-update-${taskId}-${requestKey}`,
  transformDelete: (taskId: string): string => `df-transform-delete-${taskId}`,
  transformRollback: (taskId: string, requestKey: string): string => `df-transform-rollback-${taskId}-${requestKey}`,
  transformSavepoint: (taskId: string, requestKey: string): string => `df-transform-savepoint-${taskId}-${requestKey}`,
  jarUpload: (storedName: string): string => `df-jar-upload-${storedName}`,
  jarDelete: (storedName: string): string => `df-jar-delete-${storedName}`,
  /** One stream back per job of a task: a new job (an update) streams back anew. */
  streamBack: (taskId: string, jobId: string): string => `df-streamback-${taskId}-${jobId}`,
  /** One run per auto-restart attempt of a transform: attempt n of a task is made once. */
  transformRestart: (taskId: string, attempt: number): string => `df-transform-restart-${taskId}-${attempt}`,
  /** A bulk action, named by its id; each item runs under its operation's own id, keyed by the bulk's. */
  bulk: (bulkId: string): string => `df-bulk-${bulkId}`,
  /** One delivery per event and webhook: an event emitted twice is still delivered once. */
  webhookDelivery: (eventId: string, webhookId: string): string => `df-webhook-${eventId}-${webhookId}`,
  /** Deployment-wide work is named once per task queue: two deployments sharing a namespace keep apart. */
  statusSyncSchedule: (taskQueue: string): string => deploymentScoped('df-status-sync', taskQueue),
  startupSync: (taskQueue: string): string => deploymentScoped('df-startup-sync', taskQueue),
};

/** The plain name for the default task queue (what users type), the queue appended for any other. */
function deploymentScoped(name: string, taskQueue: string): string {
  return taskQueue === DEFAULT_TASK_QUEUE ? name : `${name}-${taskQueue}`;
}
