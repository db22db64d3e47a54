import { engineMessage } from './engine-message';

/**
 * What a refused savepoint tells its caller: Flink's reason in one line, and the way past it. A
 * job that keeps failing (restarting over and over) cannot take a savepoint, so every operation
 * that needs one is refused until the caller asks for the same without it.
 */

const MAX_REASON = 600;
/** Wrapping exception classes ahead of the message ("java.util.concurrent.CompletionException: ..."). */
const CLASS_PREFIX = /^(?:[\w$]+\.)*[\w$]*(?:Exception|Error|Throwable): /;

/** The first line of Flink's failure cause without its wrapping class names, bounded; never empty. */
export function savepointFailureReason(stackTrace: string | undefined, className: string | undefined): string {
  let reason = engineMessage(stackTrace, Infinity) ?? '';
  for (
    let stripped = reason.replace(CLASS_PREFIX, '');
    stripped !== reason && stripped !== '';
    stripped = reason.replace(CLASS_PREFIX, '')
  ) {
    reason = stripped;
  }
  reason = reason || className || 'Flink gave no reason';
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
}

/** Names the query options of the routes that skip the savepoint. */
export const SAVEPOINT_WAY_OUT =
  'a job that is not running normally (failing, restarting) takes no savepoint: ' +
  'update it without one with ?upgradeMode=stateless (PUT or PATCH /api/df/tr/{id}), ' +
  'or delete it without one with ?mode=cancel (DELETE /api/df/tr/{id})';
