import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';

/**
 * Calls to a RAS or the store: retried with backoff while the far side is down (5xx, unreachable),
 * never for bad input (the failure codec marks those non-retryable). Twelve attempts span about
 * four minutes: an operation rides out a restart of Kafka Connect or the store (a minute or two
 * with its recovery), and past that fails with the RAS's own message instead of hanging; the
 * per-task lease (10 minutes) is well above that.
 */
export const RAS_CALL: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 12,
  },
};

/** Compensation must get through: it retries for longer, since giving up leaves an orphan behind. */
export const COMPENSATION: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
};

/**
 * Start-time work: the worker may come up before Kafka Connect or the registry does (the original's
 * issue #135), so these keep trying for about ten minutes instead of failing the startup.
 */
export const STARTUP_CALL: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 25,
  },
};

/**
 * The quick steps of an operation (a store write, one Connect call) as local activities: run by
 * the worker that runs the workflow, recorded as a marker, with no activity task and no extra
 * workflow task per step. An add goes from about 13 workflow tasks to 4, which is what lets the
 * Temporal service keep up with many operations at once. Same retries as RAS_CALL; a step that
 * retries past a minute is backed off with durable timers.
 */
export const LOCAL_RAS_CALL: LocalActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: RAS_CALL.retry,
};

/**
 * Deprecated: every supported history runs the quick steps as local activities. The
 * deprecatePatch() call stays while histories with the marker not yet deprecated are supported
 * (fixtures before-release-after-recorded, with-outcome-update and with-update-applied).
 */
export const LOCAL_STEPS_PATCH = 'df-local-steps';

/**
 * Deprecated: every supported history removes a deleted task's record in an activity of its own,
 * after the readings before it are recorded. The deprecatePatch() call stays while histories with
 * the marker not yet deprecated are supported (every fixture folder but with-deprecated-delete-step).
 */
export const DELETE_RECORDED_PATCH = 'df-delete-record-step';

/**
 * A create or config change that failed other than by Connect's refusal is undone in Connect as
 * well (an add deletes the connector, an update puts the old config back): an attempt whose
 * answer was lost may have done it. Old branch: runs started before it whose Connect call failed;
 * no committed fixture has a failed call.
 */
export const UNDO_UNANSWERED_CALL_PATCH = 'df-add-undo-maybe-created';

/**
 * An update watches until Kafka Connect runs the new config (its config, its tasks' configs and
 * their status), not only until its status says the state asked for. Old branch (the status
 * watch): connect-update of fixtures before-release-after-recorded and with-outcome-update.
 */
export const UPDATE_APPLIED_PATCH = 'df-update-watches-applied-config';
