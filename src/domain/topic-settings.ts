import { validationError } from './validation';

/** How DF creates topics (DF_TOPIC_REPLICATION, DF_TOPIC_MIN_INSYNC_REPLICAS). */
export interface TopicSettings {
  /** Replication factor of a topic whose request gives none. */
  replicationFactor: number;
  /** `min.insync.replicas` of every topic DF creates; unset: the broker's default. */
  minInsyncReplicas?: number;
}

export const DEFAULT_TOPIC_SETTINGS: TopicSettings = { replicationFactor: 1 };

/** What DF asks Kafka for when it creates a topic. */
export interface TopicCreation {
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

/**
 * The replication factor and configs of a topic DF creates: the request's factor or DF's default.
 * A factor below min.insync.replicas is refused before Kafka hears of it: Kafka would create the
 * topic, and every producer waiting for all in-sync replicas would then be refused on it.
 */
export function topicCreation(settings: TopicSettings, requestedReplicationFactor?: number): TopicCreation {
  const replicationFactor = requestedReplicationFactor ?? settings.replicationFactor;
  const minInsync = settings.minInsyncReplicas;
  if (minInsync !== undefined && replicationFactor < minInsync) {
    throw validationError(
      `replicationFactor ${replicationFactor} is below the min.insync.replicas of ${minInsync} DF sets on its topics (DF_TOPIC_MIN_INSYNC_REPLICAS): nothing could be written to the topic`,
      { replicationFactor: [`expected at least ${minInsync}`] },
    );
  }
  return {
    replicationFactor,
    configEntries: minInsync === undefined ? [] : [{ name: 'min.insync.replicas', value: String(minInsync) }],
  };
}
