import { CONNECTOR_CLASS, normaliseCoreKeys, sameConfig } from './connect-config';
import { storedSpellingOf } from './config-spelling';
import type { ConnectUpdateInput } from './connect-input';
import type { SecretKeys } from './secrets';
import { lastChangedBy, type OperationRef, type StringMap, type Task, type TaskEdit } from './task';
import { checkRevision, editedConfig } from './task-input';
import { validationError } from './validation';

/**
 * The rules of a connect update, as pure functions of the input and the stored task: what the
 * update may change and the edit it makes. The activity around them reads the task and has Kafka
 * Connect validate a changed config between the two steps.
 */

/** An update worked out up to Kafka Connect's validation of its config. */
export interface ConnectUpdatePlan {
  /** The task the update works from (on a rerun, as it was before the update's own edit). */
  task: Task;
  /** The edit, but for the config. */
  edit: TaskEdit;
  /** The config asked for, when it differs from the stored one: Kafka Connect validates it first. */
  toValidate?: { connectorClass: string; config: StringMap };
  /** A rerun of an update that gave a config puts the stored one again. */
  reput?: StringMap;
}

/**
 * The input's config keys as the store spells them: either spelling edits the stored key, and a
 * key given both ways is the one whose value changed (see storedSpellingOf). A key the store does
 * not hold keeps its spelling; Kafka Connect's validation names it (connector_class, tasks_max and
 * keys Connect knows dotted are renamed).
 */
function inStoredSpelling(
  input: ConnectUpdateInput,
  stored: StringMap,
  secretKeys: SecretKeys,
): Pick<ConnectUpdateInput, 'connectorConfig' | 'connectorConfigPatch'> {
  const shown = (key: string, value: string) => secretKeys.maskConfig({ [key]: value })[key];
  return {
    ...(input.connectorConfig
      ? { connectorConfig: normaliseCoreKeys(storedSpellingOf(stored, input.connectorConfig, shown)) }
      : {}),
    ...(input.connectorConfigPatch
      ? { connectorConfigPatch: normaliseCoreKeys(storedSpellingOf(stored, input.connectorConfigPatch, shown)) }
      : {}),
  };
}

/**
 * Checks an update against the stored connect and works out its edit: the revision must match,
 * the config is the stored one with the input's replaced or patched in (secrets kept), and the
 * connector's identity is not editable: its class and name stay what Kafka Connect has.
 */
export function planConnectUpdate(
  input: ConnectUpdateInput,
  stored: Task,
  op: OperationRef,
  secretKeys: SecretKeys,
): ConnectUpdatePlan {
  // Run again after its worker died mid-update (local steps re-run on replay), the update finds
  // its own edit applied: it works from the revision before, so the edit and Connect's config
  // are put again (both idempotent) instead of the edit counting twice or meeting its own revision.
  const rerun = lastChangedBy(stored, op);
  const task = rerun ? { ...stored, revision: stored.revision - 1 } : stored;
  checkRevision(task, input.expectedRevision);
  const asked = editedConfig(
    task.connectorConfig,
    inStoredSpelling(input, task.connectorConfig, secretKeys),
    secretKeys,
  );
  const connectorClass = task.connectorConfig[CONNECTOR_CLASS];
  if (asked[CONNECTOR_CLASS] && asked[CONNECTOR_CLASS] !== connectorClass) {
    throw validationError(`connector.class cannot change (${connectorClass}); delete the connect and add a new one`, {
      [`connectorConfig.${CONNECTOR_CLASS}`]: ['cannot change'],
    });
  }
  const config: StringMap = {
    ...asked,
    [CONNECTOR_CLASS]: connectorClass,
    name: task.connectUid,
    cuid: task.connectorConfig.cuid ?? task.id,
  };
  const edit: TaskEdit = {};
  if (input.name !== undefined) edit.name = input.name;
  if (input.description !== undefined) edit.description = input.description;
  if (input.taskSeq !== undefined) edit.taskSeq = input.taskSeq;
  if (input.autoRestart !== undefined) edit.autoRestart = input.autoRestart;
  return {
    task,
    edit,
    ...(sameConfig(config, task.connectorConfig) ? {} : { toValidate: { connectorClass, config } }),
    ...(rerun && (input.connectorConfig !== undefined || input.connectorConfigPatch !== undefined)
      ? { reput: stored.connectorConfig }
      : {}),
  };
}

/**
 * The update's edit once Kafka Connect has validated the plan's config (`validated`, as Connect
 * will see it): a config that validation renamed back into the stored one is no change.
 */
export function connectUpdateEdit(plan: ConnectUpdatePlan, validated?: StringMap): { task: Task; edit: TaskEdit } {
  const edit: TaskEdit = { ...plan.edit };
  if (validated !== undefined && !sameConfig(validated, plan.task.connectorConfig)) edit.connectorConfig = validated;
  if (plan.reput) edit.connectorConfig = plan.reput;
  return { task: plan.task, edit };
}
