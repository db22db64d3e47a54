/** The activity header that names the task of the run that scheduled it (workflows/interceptors.ts). */
export const TASK_ID_HEADER = 'df-task-id';
