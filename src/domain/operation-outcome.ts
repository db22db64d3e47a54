/**
 * The update every DF run answers with its operation's outcome (workflows/operation.ts).
 * The API starts an operation with update-with-start and gets the outcome as soon as the
 * operation's steps are recorded, without waiting for what the run does after them (releasing
 * the task's lock). A failed operation fails the update without detail: the run's own failure,
 * awaited next, is what the API answers with.
 */
export const OPERATION_OUTCOME_UPDATE = 'operationOutcome';
