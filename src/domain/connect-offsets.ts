import type { DfStatus } from './status';

/**
 * Connector offsets as Kafka Connect keeps them (KIP-875): a source partition (a file, a table)
 * with the position the connector reached in it; a sink's partition is a topic partition and its
 * offset the consumer group's. Connect takes keys and values of primitive types only.
 */
export type OffsetValue = string | number | boolean | null;
export type OffsetMap = Record<string, OffsetValue>;

export interface ConnectorOffset {
  partition: OffsetMap;
  /** null resets the partition: the connector starts it over as if it had never read it. */
  offset: OffsetMap | null;
}

/** What GET /connectors/{name}/offsets answers, and what PATCH takes. */
export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

/** An offsets change: alter the partitions given, or reset every offset of the connector. */
export type ConnectOffsetsInput =
  { id: string; change: 'alter'; offsets: ConnectorOffset[] } | { id: string; change: 'reset' };

export type OffsetsChange = ConnectOffsetsInput['change'];

/** What an offsets change answers once the connector is back in the state it was in. */
export interface ConnectOffsetsChanged {
  id: string;
  change: OffsetsChange;
  /** Kafka Connect's own words on what it did. */
  message: string;
  /** The offsets as Kafka Connect had them right after the change, before the connector ran on. */
  offsets: ConnectorOffset[];
  /** The state the connector is back in. */
  status: DfStatus;
}

/**
 * What puts a stopped connector back in the state it was in before the change: a paused one is
 * paused again, a stopped one stays so, anything else (running, failed, restarting) is resumed,
 * which is the state Kafka Connect was asked to keep it in.
 */
export function restoringAction(prior: DfStatus): { action: 'pause' | 'resume' | undefined; target: DfStatus } {
  if (prior === 'STOPPED') return { action: undefined, target: 'STOPPED' };
  if (prior === 'PAUSED') return { action: 'pause', target: 'PAUSED' };
  return { action: 'resume', target: 'RUNNING' };
}
