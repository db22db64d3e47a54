import { proxyActivities } from '@temporalio/workflow';
import type { MetadataActivities } from '../activities/metadata';
import { STARTUP_CALL } from './activity-options';
import { tagRun } from './run-tags';

const act = proxyActivities<MetadataActivities>(STARTUP_CALL);

export interface MetadataSyncResult {
  schema: { subject: string; created: boolean; version: number };
  topicCreated: boolean;
  sink: { connector: string; created: boolean; updated: boolean; status: string };
}

/**
 * metadataSync: the metadata pipeline in place. Registers the df_meta record schema, makes sure
 * topic and collection exist, and creates the MongoDB sink connector between them if it is missing
 * (recorded as DF's INTERNAL task). Safe to run any number of times.
 */
export async function metadataSync(): Promise<MetadataSyncResult> {
  tagRun({ category: 'SYNC', summary: 'metadata sync: schema, topic, collection and sink connector' });
  const schema = await act.ensureMetadataSchema();
  const { topicCreated } = await act.ensureMetadataTopicAndCollection();
  const sink = await act.ensureMetadataSink();
  return { schema, topicCreated, sink };
}
