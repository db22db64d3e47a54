import type { ConnectOffsetsInput, ConnectorOffsets, OffsetsChange } from '../src/domain/connect-offsets';
import { parseConnectOffsetsInput } from '../src/domain/connect-offsets-input';
import { DfError, isDfError } from '../src/domain/errors';
import { connectRefusesForNow, type RasErrorDetails } from '../src/ras/http';
import type { KafkaConnectClient } from '../src/ras/kafka-connect';

export interface ConnectOffsetDeps {
  kafkaConnect: KafkaConnectClient;
}

/**
 * Kafka Connect refuses an offsets change it may accept a moment later: the stop the operation
 * asked for has not reached the worker that answers yet, or the change outlasted Connect's request
 * timeout (the change goes on behind it; asking again with the same offsets is harmless).
 */
const MOMENTARY_REFUSAL = /must be in the STOPPED state|timed out/i;

function rasDetailsOf(error: DfError): Partial<RasErrorDetails> {
  return (error.details ?? {}) as Partial<RasErrorDetails>;
}

/**
 * Kafka Connect's lasting refusal of an offsets change (a sink whose consumer group still has
 * members, a connector that cannot have its offsets changed, offsets the connector does not
 * accept): the same request gets the same answer, so it is a conflict with the connector's state,
 * with Connect's own words, not a fault to retry.
 */
function refusalOf(error: unknown, change: OffsetsChange, name: string): unknown {
  if (!isDfError(error)) return error;
  const details = rasDetailsOf(error);
  if (details.ras !== 'kafka-connect' || details.status === undefined) return error;
  // A rebalance, or a worker that has not read another client's config change yet: the RAS client
  // already left these to the retries.
  if (connectRefusesForNow(details.status, details.rasMessage ?? '')) return error;
  if (MOMENTARY_REFUSAL.test(details.rasMessage ?? '')) {
    return new DfError(error.code, error.message, {
      httpStatus: error.httpStatus,
      retryable: true,
      details: error.details,
      cause: error,
    });
  }
  if (![400, 409, 500].includes(details.status)) return error;
  const reason = details.rasMessage ?? error.message;
  return new DfError('CONFLICT', `Kafka Connect refused to ${change} the offsets of connector ${name}: ${reason}`, {
    retryable: false,
    details: { id: name, change, status: details.status, rasMessage: reason },
    cause: error,
  });
}

/**
 * A sink's tasks, just stopped, may still be members of its consumer group for a moment: Kafka
 * Connect then refuses the change and says it "can be safely retried". A member that stays past
 * these waits is someone else's consumer or a zombie task, and the refusal stands.
 */
const SINK_GROUP_BUSY = /haven't stopped completely yet/i;
const SINK_GROUP_WAITS_MS = [1000, 2000, 4000];

function refusedAsBusyGroup(error: unknown): boolean {
  return isDfError(error) && SINK_GROUP_BUSY.test(rasDetailsOf(error).rasMessage ?? '');
}

function missing(name: string): DfError {
  return new DfError('NOT_FOUND', `Kafka Connect has no connector ${name}`, { details: { id: name } });
}

/** Activities over a connector's offsets (KIP-875): read them, alter or reset them while it is stopped. */
export function createConnectOffsetActivities(
  { kafkaConnect }: ConnectOffsetDeps,
  /** How long to wait for a sink's stopped tasks to leave its group (specs pass shorter waits). */
  waitsMs: readonly number[] = SINK_GROUP_WAITS_MS,
) {
  return {
    /** The connector's offsets as Kafka Connect gives them. */
    async readConnectorOffsets(name: string): Promise<ConnectorOffsets> {
      const offsets = await kafkaConnect.offsets(name);
      if (!offsets) throw missing(name);
      return offsets;
    },

    /**
     * Alters or resets the offsets of the stopped connector. Both are idempotent in Kafka Connect:
     * the same offsets written again, or a reset of offsets already reset.
     */
    async changeConnectorOffsets(name: string, input: ConnectOffsetsInput): Promise<{ message: string }> {
      const change = parseConnectOffsetsInput(input);
      const ask = () =>
        change.change === 'alter' ? kafkaConnect.alterOffsets(name, change.offsets) : kafkaConnect.resetOffsets(name);
      for (let attempt = 0; ; attempt++) {
        try {
          return await ask();
        } catch (error) {
          if (attempt >= waitsMs.length || !refusedAsBusyGroup(error)) throw refusalOf(error, change.change, name);
          await new Promise((resolve) => setTimeout(resolve, waitsMs[attempt]));
        }
      }
    },
  };
}

export type ConnectOffsetActivities = ReturnType<typeof createConnectOffsetActivities>;
