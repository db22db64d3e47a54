import { BulkDeps, createBulkActivities } from './bulk';
import { ConnectDeps, createConnectActivities } from './connect';
import { ConnectOffsetDeps, createConnectOffsetActivities } from './connect-offsets';
import { createFlinkJobActivities, FlinkJobDeps } from './flink-job';
import { createInstalledActivities, InstalledDeps } from './installed';
import { createMetadataActivities, MetadataDeps } from './metadata';
import { createStartupSyncActivities, StartupSyncDeps } from './startup-sync';
import { createStatusSyncActivities, StatusSyncDeps } from './status-sync';
import { createStreamBackActivities, StreamBackDeps } from './stream-back';
import { createSchemaActivities, SchemaDeps } from './schema';
import { createTaskLockActivities, TaskLockDeps } from './task-lock';
import { createTaskActivities, TaskDeps } from './tasks';
import { createTransformActivities, TransformDeps } from './transform';
import { createUploadedJarActivities, UploadedJarDeps } from './uploaded-jars';
import { createVersionActivities, VersionDeps } from './versions';
import { createWebhookActivities, webhookNotifier, WebhookDeps } from './webhooks';

/** Everything the activities need, built once per worker process and injected (tests pass fakes). */
export type ActivityDeps = InstalledDeps &
  TaskDeps &
  ConnectDeps &
  ConnectOffsetDeps &
  TaskLockDeps &
  SchemaDeps &
  FlinkJobDeps &
  TransformDeps &
  StatusSyncDeps &
  StartupSyncDeps &
  MetadataDeps &
  StreamBackDeps &
  UploadedJarDeps &
  VersionDeps &
  BulkDeps &
  WebhookDeps;

/** The worker registers this object: one plain async function per activity, grouped by area. */
export function createActivities(deps: ActivityDeps) {
  const notify = webhookNotifier(deps);
  return {
    ...createInstalledActivities(deps),
    ...createTaskActivities({ ...deps, notify }),
    ...createConnectActivities(deps),
    ...createConnectOffsetActivities(deps),
    ...createTaskLockActivities(deps),
    ...createSchemaActivities(deps),
    ...createFlinkJobActivities(deps),
    ...createTransformActivities(deps),
    ...createStatusSyncActivities({ ...deps, notify }),
    ...createStartupSyncActivities(deps),
    ...createMetadataActivities(deps),
    ...createBulkActivities(deps),
    ...createStreamBackActivities(deps),
    ...createUploadedJarActivities(deps),
    ...createVersionActivities(deps),
    ...createWebhookActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
