import { z } from 'zod';
import { AutoRestartPolicy, autoRestartInput } from './auto-restart';
import { normaliseCoreKeys } from './connect-config';
import { KEY_SPELLINGS, type KeySpelling, spellingOfKeys, storedSpellingOf } from './config-spelling';
import { categoryOfType, StringMap } from './task';
import {
  compact,
  configMap,
  displayName,
  generatedTaskId,
  type IdSuffixSource,
  parseTaskUpdateBody,
  TASK_ID_PATTERN,
  taskId,
  TaskUpdateInput,
  toStringMap,
  updateInputShape,
} from './task-input';
import { parseOrThrow, validationError } from './validation';

export { parseTaskId, TASK_ID_PATTERN } from './task-input';

/**
 * Inputs of the Connect LAUD workflows, validated the same way whether they come from the HTTP API
 * or from `temporal workflow start --input`.
 */

export const connectAddBody = z
  .object({
    id: taskId.optional(),
    taskSeq: z.union([z.string(), z.number()]).optional(),
    name: displayName,
    description: z.string().max(4000).optional(),
    connectorType: z.string().trim().min(1).max(200).optional(),
    connectorConfig: configMap.optional(),
    autoRestart: autoRestartInput.optional(),
    keySpelling: z.enum(KEY_SPELLINGS, { error: `expected one of ${KEY_SPELLINGS.join(', ')}` }).optional(),
  })
  .passthrough();

/** What connectAdd takes: everything a connect needs, keys in Kafka Connect's spelling. */
export interface ConnectAddInput {
  id: string;
  taskSeq: string;
  name: string;
  description: string;
  /** DF type (CONNECT_SOURCE_…); when absent it is derived from the plugin. */
  connectorType?: string;
  connectorConfig: StringMap;
  autoRestart?: AutoRestartPolicy;
  /** The spelling the create's keys used ("underscore": the original's); its answers use it. Absent: dotted. */
  keySpelling?: KeySpelling;
}

/**
 * An add body as a ConnectAddInput. The connector's name in Kafka Connect is the task id: the given
 * one, else the config's `name`, else one generated from the display name and `newIdSuffix` (names
 * may repeat: two connects may both be called "My task").
 */
export function parseConnectAdd(body: unknown, newIdSuffix: IdSuffixSource): ConnectAddInput {
  const b = parseOrThrow(connectAddBody, body, 'connect');
  const given = toStringMap(b.connectorConfig);
  // Given, the spelling is the caller's choice (and a second pass, which finds the keys dotted, keeps the first's).
  const keySpelling = b.keySpelling ?? spellingOfKeys(Object.keys(given));
  const config = normaliseCoreKeys(storedSpellingOf({}, given));
  const id = b.id ?? config.name ?? generatedTaskId(b.name, newIdSuffix(), 'connect');
  if (!TASK_ID_PATTERN.test(id)) {
    throw validationError(`connectorConfig.name "${id}" cannot be a connector name; give an id`, {
      'connectorConfig.name': ['expected 1-200 letters, digits, ".", "_" or "-", starting with a letter or digit'],
    });
  }
  if (b.connectorType === undefined && config['connector.class'] === undefined) {
    throw validationError('give connectorType or connectorConfig.connector.class', {
      connectorType: ['required unless connectorConfig.connector.class is given'],
    });
  }
  if (
    b.connectorType !== undefined &&
    categoryOfType(b.connectorType) !== 'CONNECT' &&
    !b.connectorType.includes('.')
  ) {
    throw validationError(`connectorType ${b.connectorType} is not a connect type`, {
      connectorType: ['expected a CONNECT_… type (or a connector class name)'],
    });
  }
  // The original DF stamped every config with cuid = id; DF file connectors still read it.
  const connectorConfig: StringMap = { ...config, name: id, cuid: id };
  return {
    id,
    taskSeq: b.taskSeq === undefined ? '1' : String(b.taskSeq),
    name: b.name,
    description: b.description ?? '',
    ...(b.connectorType === undefined ? {} : { connectorType: b.connectorType }),
    connectorConfig,
    ...(b.autoRestart ? { autoRestart: b.autoRestart } : {}),
    ...(keySpelling === 'underscore' || b.keySpelling ? { keySpelling } : {}),
  };
}

/** What connectUpdate takes; a whole new config keeps connector.class and name whatever it says. */
export type ConnectUpdateInput = TaskUpdateInput;

export function parseConnectUpdate(
  id: string,
  body: unknown,
  mode: 'replace' | 'merge',
  expectedRevision?: number,
): ConnectUpdateInput {
  return compact({ ...parseTaskUpdateBody(id, body, mode, 'connect update', normaliseCoreKeys), expectedRevision });
}

const updateInput = z.object(updateInputShape).strict();

/** Checks a connectUpdate input that did not come through the API (CLI), with the same key spellings. */
export function parseConnectUpdateInput(input: unknown): ConnectUpdateInput {
  const i = parseOrThrow(updateInput, input, 'connect update');
  return compact({
    ...i,
    connectorConfig: i.connectorConfig ? normaliseCoreKeys(i.connectorConfig) : undefined,
    connectorConfigPatch: i.connectorConfigPatch ? normaliseCoreKeys(i.connectorConfigPatch) : undefined,
  });
}

export const CONNECT_ACTIONS = ['pause', 'resume', 'stop', 'restart'] as const;
export type ConnectActionName = (typeof CONNECT_ACTIONS)[number];

/** What connectAction takes. */
export interface ConnectActionInput {
  id: string;
  action: ConnectActionName;
  /** restart only: restart the tasks as well as the connector. */
  includeTasks?: boolean;
  /** restart only: restart only what has failed. */
  onlyFailed?: boolean;
}

const actionInput = z.object({
  id: taskId,
  action: z.enum(CONNECT_ACTIONS, { error: `expected one of ${CONNECT_ACTIONS.join(', ')}` }),
  includeTasks: z.boolean().optional(),
  onlyFailed: z.boolean().optional(),
});

export function parseConnectAction(input: unknown): ConnectActionInput {
  return compact(parseOrThrow(actionInput, input, 'connect action'));
}

const STATUS_VERBS: Record<string, ConnectActionName> = {
  PAUSE: 'pause',
  RESUME: 'resume',
  RESTART: 'restart',
  STOP: 'stop',
};

/** The original UI asks for actions by PUTting the record with status PAUSE, RESUME or RESTART. */
export function actionOfStatusVerb(status: unknown): ConnectActionName | undefined {
  return typeof status === 'string' ? STATUS_VERBS[status.trim().toUpperCase()] : undefined;
}

export interface ConnectDeleteInput {
  id: string;
}
