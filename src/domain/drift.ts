import { connectorTypesOf } from './connector-types';
import type { StoreUpgrade } from './legacy-task';
import { SECRET_MASK, type SecretKeys } from './secrets';
import { CONNECTOR_CLASS } from './connect-config';
import { ConnectStatusReport, dfStatusOfConnect, DfStatus } from './status';
import { slug, TASK_ID_PATTERN } from './task-input';
import type { NewTask, StringMap, Task } from './task';

/**
 * What the startup sync compares: connectors Kafka Connect runs against the tasks DF records.
 * DF never deletes or changes a connector it did not create; it imports them and reports drift.
 */

/** A connector as Kafka Connect runs it right now. */
export interface LiveConnector {
  name: string;
  config: StringMap;
  /** source or sink */
  type?: string;
  status?: ConnectStatusReport;
}

export interface ConfigDifference {
  key: string;
  /** Absent: the key is only live. */
  repository?: string;
  /** Absent: the key is only in the repository. */
  live?: string;
}

export interface DriftReport {
  at: string;
  /** Connectors found in Kafka Connect and recorded as imported by this run. */
  imported: string[];
  /** Tasks whose connector runs a config other than the one DF recorded. */
  configDrift: { id: string; connectUid: string; imported: boolean; differences: ConfigDifference[] }[];
  /** Tasks whose connector Kafka Connect does not have. */
  missingInConnect: { id: string; connectUid: string; status: DfStatus }[];
  /** Records the original service wrote, brought to DF's shape by this run, with what changed of each. */
  upgraded?: StoreUpgrade['upgraded'];
  /** Records whose secret config values this run sealed (they were in clear). */
  sealed?: StoreUpgrade['sealed'];
  /** Stored documents that cannot be read as tasks: left as they are, and out of every list. */
  unreadable?: StoreUpgrade['unreadable'];
}

/** Type of the internal metadata sink connector, as the original named it. */
export const METADATA_CONNECTOR_TYPE = 'INTERNAL_METADATA_COLLECT';

/**
 * Key by key, `name` left out (Kafka Connect adds it to every config). With `secrets`, a secret
 * key's values show as SECRET_MASK: the report is kept in the store and answered as it is.
 */
export function configDifferences(repository: StringMap, live: StringMap, secrets?: SecretKeys): ConfigDifference[] {
  const keys = [...new Set([...Object.keys(repository), ...Object.keys(live)])].filter((k) => k !== 'name').sort();
  const shown = (k: string, v: string) => (v !== '' && secrets?.isSecret(k) ? SECRET_MASK : v);
  return keys
    .filter((k) => repository[k] !== live[k])
    .map((k) => ({
      key: k,
      ...(k in repository ? { repository: shown(k, repository[k]) } : {}),
      ...(k in live ? { live: shown(k, live[k]) } : {}),
    }));
}

/** The id an imported connector's task gets: its name if that is a valid task id. */
export function importedTaskId(name: string): string {
  return TASK_ID_PATTERN.test(name) ? name : `imported-${slug(name) || 'connector'}`.slice(0, 200);
}

/** The record of a connector DF did not create: CONNECT (INTERNAL for DF's metadata sink), marked imported. */
export function importedTask(live: LiveConnector, metadataConnector: string): NewTask {
  const internal = live.name === metadataConnector;
  const connectorClass = live.config[CONNECTOR_CLASS] ?? 'unknown';
  return {
    id: importedTaskId(live.name),
    taskSeq: '0',
    name: live.name,
    description: 'Imported from Kafka Connect: DataFibers did not create this connector.',
    connectorType: internal ? METADATA_CONNECTOR_TYPE : connectorTypesOf(connectorClass, live.type ?? 'unknown')[0],
    connectorCategory: internal ? 'INTERNAL' : 'CONNECT',
    connectUid: live.name,
    status: live.status ? dfStatusOfConnect(live.status).status : 'UNASSIGNED',
    connectorConfig: live.config,
    jobConfig: { comments: 'This is imported from Kafka Connect.' },
    imported: true,
  };
}

/** The drift between what Kafka Connect runs and the connect tasks DF records. */
export function driftReport(
  live: LiveConnector[],
  tasks: Task[],
  imported: string[],
  at: string,
  upgrade?: StoreUpgrade,
  secrets?: SecretKeys,
): DriftReport {
  const byName = new Map(live.map((c) => [c.name, c]));
  const configDrift: DriftReport['configDrift'] = [];
  const missingInConnect: DriftReport['missingInConnect'] = [];
  for (const task of tasks) {
    const connector = byName.get(task.connectUid);
    if (!connector) {
      missingInConnect.push({ id: task.id, connectUid: task.connectUid, status: task.status });
      continue;
    }
    const differences = configDifferences(task.connectorConfig, connector.config, secrets);
    if (differences.length > 0)
      configDrift.push({ id: task.id, connectUid: task.connectUid, imported: task.imported === true, differences });
  }
  return {
    at,
    imported,
    configDrift,
    missingInConnect,
    ...(upgrade ? { upgraded: upgrade.upgraded, sealed: upgrade.sealed, unreadable: upgrade.unreadable } : {}),
  };
}
