// The workflow bundle's entry: every workflow type the worker runs, by its registered name.
export { installedList } from './installed';
export {
  connectAdd,
  connectUpdate,
  connectAction,
  connectTaskRestart,
  connectDelete,
  connectList,
  connectRollback,
} from './connect';
export { connectOffsets } from './connect-offsets';
export { schemaList, schemaGet, schemaAdd, schemaUpdate } from './schema';
export {
  transformAdd,
  transformUpdate,
  transformRollback,
  transformDelete,
  transformList,
  transformSavepoint,
  transformBatchWatch,
  jarUpload,
  jarDelete,
} from './transform';
export { transformRestart } from './transform';
export { statusSync } from './status-sync';
export { startupSync } from './startup-sync';
export { metadataSync } from './metadata-sync';
export { streamBack } from './stream-back';
export { bulkRun } from './bulk';
export { webhookDelivery } from './webhook-delivery';
