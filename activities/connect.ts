import type { SecretKeys } from '../src/domain/secrets';
import type { ReachGuard } from '../src/reach-guard';
import { CONNECTOR_CLASS, resolveLegacyKeys, sameConfig } from '../src/domain/connect-config';
import { derivedConnectorType } from '../src/domain/connector-types';
import { dfTypeOfOriginal } from '../src/domain/legacy-task';
import {
  CONNECT_ACTIONS,
  ConnectActionInput,
  ConnectAddInput,
  ConnectUpdateInput,
  parseConnectAdd,
  parseConnectUpdateInput,
} from '../src/domain/connect-input';
import { parseConnectTaskRestartInput } from '../src/domain/connect-task-restart';
import { connectUpdateEdit, planConnectUpdate } from '../src/domain/connect-update';
import { DfError, isDfError } from '../src/domain/errors';
import { connectAppliedSettled, connectSettled } from '../src/domain/connect-settle';
import type { ConnectAppliedRead, ConnectStatusRead } from '../src/domain/connect-settle';
import { ConnectStatusReport, dfStatusOfConnect, DfStatus, LOST_IN_CONNECT } from '../src/domain/status';
import { StringMap, Task, TaskEdit, unassignedTask } from '../src/domain/task';
import { FieldErrors, validationError } from '../src/domain/validation';
import { connectRebalancing } from '../src/ras/http';
import type { ConnectValidation, KafkaConnectClient } from '../src/ras/kafka-connect';
import type { InstalledRepository } from '../src/repository/installed-repository';
import type { TaskRepository } from '../src/repository/task-repository';
import { currentOperation, idSuffixOfRun } from './calling-workflow';

export interface ConnectDeps {
  kafkaConnect: KafkaConnectClient;
  installed: InstalledRepository;
  tasks: TaskRepository;
  secretKeys: SecretKeys;
  /** The reach policy, for workflows started without the API (which checks it first). */
  reach: ReachGuard;
}

/** A connect ready to create: class resolved, config checked by Kafka Connect. */
export interface PreparedConnectAdd extends ConnectAddInput {
  connectorType: string;
}

/** What an update will do: the edit for the repository; Kafka Connect gets `edit.connectorConfig` when there is one. */
export interface PreparedConnectUpdate {
  task: Task;
  edit: TaskEdit;
}

function fieldErrorsOf(validation: ConnectValidation): FieldErrors {
  const fields: FieldErrors = {};
  for (const check of validation.configs) {
    if (check.value.errors.length > 0) fields[`connectorConfig.${check.value.name}`] = check.value.errors;
  }
  return fields;
}

const AWAIT_INTERVAL_MS = 50;

/**
 * Settled readings in a row an update waits for. Connect serves the tasks' new configs a moment
 * before it stops the tasks that run the old ones (their status still says RUNNING): a second
 * round of reads, answered after that, sees them restarting.
 */
const APPLIED_CONFIRMATIONS = 2;

function readingOf(report: ConnectStatusReport | undefined): ConnectStatusRead {
  if (!report) return LOST_IN_CONNECT;
  const failed = (report.tasks ?? []).some((t) => t.state.toUpperCase() === 'FAILED');
  return { ...dfStatusOfConnect(report), ...(failed ? { taskFailed: true } : {}) };
}

/** The value, or undefined while Kafka Connect refuses to answer because its group rebalances. */
async function unlessRebalancing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (connectRebalancing(error)) return undefined;
    throw error;
  }
}

/** A settled promise's value, or its rejection thrown. */
function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** Activities of the Connect LAUD sequences: small idempotent steps over Kafka Connect and df_processor. */
export function createConnectActivities({ kafkaConnect, installed, tasks, secretKeys, reach }: ConnectDeps) {
  /** The installed plugin for a class; an unknown class is bad input, not a reason to retry. */
  async function installedPlugin(connectorClass: string) {
    const plugins = await kafkaConnect.listPlugins();
    const plugin = plugins.find((p) => p.class === connectorClass);
    if (!plugin) {
      throw validationError(`connector class ${connectorClass} is not installed in Kafka Connect`, {
        [`connectorConfig.${CONNECTOR_CLASS}`]: [`not installed; installed: ${plugins.map((p) => p.class).join(', ')}`],
      });
    }
    return plugin;
  }

  /**
   * Resolves a DF type through df_installed, refreshing the catalogue from Kafka Connect once if it
   * is not there. An original type name resolves as the DF type it runs as.
   */
  async function pluginOfType(connectorType: string) {
    const runsAs = dfTypeOfOriginal(connectorType);
    let plugin = await installed.findByConnectorType(runsAs);
    if (!plugin) {
      await installed.recordListed(await kafkaConnect.listPlugins(), new Date());
      plugin = await installed.findByConnectorType(runsAs);
    }
    if (!plugin) {
      const known = await installed.knownConnectorTypes();
      throw validationError(`unknown connectorType ${connectorType}: no installed connector plugin stands for it`, {
        connectorType: [`expected one of ${known.join(', ')}, or give connectorConfig.${CONNECTOR_CLASS}`],
      });
    }
    return plugin;
  }

  /**
   * Asks Kafka Connect to validate the config; "_"-spelled keys it knows in dotted form are renamed
   * and the result validated again, so errors name the keys Connect will actually see.
   */
  async function validated(connectorClass: string, config: StringMap): Promise<StringMap> {
    let validation = await kafkaConnect.validate(connectorClass, config);
    const known = new Set(validation.configs.map((c) => c.definition.name));
    const { config: resolved, renamed } = resolveLegacyKeys(config, known);
    if (Object.keys(renamed).length > 0) validation = await kafkaConnect.validate(connectorClass, resolved);
    if (validation.error_count > 0) {
      const fields = fieldErrorsOf(validation);
      const summary = Object.entries(fields)
        .map(([k, v]) => `${k}: ${v.join(' ')}`)
        .join('; ');
      throw validationError(`Kafka Connect rejected the config: ${summary}`, fields);
    }
    return resolved;
  }

  async function readStatus(name: string): Promise<ConnectStatusRead> {
    return readingOf(await kafkaConnect.status(name));
  }

  async function readApplied(name: string): Promise<ConnectAppliedRead> {
    const [config, tasks] = await Promise.all([
      unlessRebalancing(kafkaConnect.getConnectorConfig(name)),
      unlessRebalancing(kafkaConnect.taskConfigs(name)),
    ]);
    // The status last: it is what must be current once the configs are.
    const report = await kafkaConnect.status(name);
    return {
      reading: readingOf(report),
      statusTasks: report?.tasks?.length ?? 0,
      config,
      taskConfigs: tasks?.map((t) => t.config),
    };
  }

  async function requireConnectTask(id: string): Promise<Task> {
    const task = await tasks.require(id);
    if (task.connectorCategory !== 'CONNECT') {
      throw validationError(`task ${task.id} is a ${task.connectorCategory} task, not a connect`, {
        id: ['not a connect'],
      });
    }
    return task;
  }

  return {
    /** Validates an add request (API body or CLI input) into a connect Kafka Connect has accepted on paper. */
    async prepareConnectAdd(request: unknown): Promise<PreparedConnectAdd> {
      const input = reach.connectAdd(parseConnectAdd(request, idSuffixOfRun));
      const givenClass = input.connectorConfig[CONNECTOR_CLASS];
      // The checks' calls go out at once (an add's first step was five calls in a row), the
      // validation too when the class is given (it changes nothing, so it may run in vain); their
      // failures are reported in the order the checks were always made.
      const [free, existing, found, checked] = await Promise.allSettled([
        tasks.requireFree(input.id, currentOperation()),
        kafkaConnect.getConnector(input.id),
        givenClass ? installedPlugin(givenClass) : pluginOfType(input.connectorType ?? ''),
        givenClass ? validated(givenClass, input.connectorConfig) : undefined,
      ]);
      // This add's own record (it ran this far before its worker died) means the connector is ours too.
      const ours = settledValue(free) === 'ours';
      if (!ours && settledValue(existing)) {
        throw new DfError(
          'CONFLICT',
          `Kafka Connect already runs a connector named ${input.id} that DF does not manage`,
          {
            details: { id: input.id },
          },
        );
      }
      const plugin = settledValue(found);
      const config =
        settledValue(checked) ??
        (await validated(plugin.class, { ...input.connectorConfig, [CONNECTOR_CLASS]: plugin.class }));
      return {
        ...input,
        connectorType: input.connectorType ?? derivedConnectorType(plugin.class, plugin.type),
        connectorConfig: config,
      };
    },

    /** Works out an update against the stored task; the new config is validated only if it changed. */
    async prepareConnectUpdate(request: ConnectUpdateInput): Promise<PreparedConnectUpdate> {
      const input = parseConnectUpdateInput(request);
      reach.connectUpdate(input);
      const plan = planConnectUpdate(input, await requireConnectTask(input.id), currentOperation(), secretKeys);
      const check = plan.toValidate;
      return connectUpdateEdit(plan, check && (await validated(check.connectorClass, check.config)));
    },

    /** The task, which must be a connect. */
    async getConnectTask(id: string): Promise<Task> {
      return requireConnectTask(id);
    },

    /** Records a new connect as UNASSIGNED before Kafka Connect hears of it (a retry finds its own record). */
    async insertConnectTask(input: PreparedConnectAdd): Promise<Task> {
      // Input parsing admits CONNECT_… types and class names only, so this is always a connect.
      return tasks.insert(unassignedTask(input, 'CONNECT', null), currentOperation(), new Date());
    },

    /**
     * Creates the connector. A 409 whose config is exactly ours is a retry of this very step that
     * succeeded before; any other 409 is a real conflict.
     */
    async createConnector(name: string, config: StringMap): Promise<{ created: boolean }> {
      try {
        await kafkaConnect.createConnector(name, config);
        return { created: true };
      } catch (error) {
        if (!isDfError(error) || error.httpStatus !== 409) throw error;
        const existing = await kafkaConnect.getConnector(name);
        if (existing && sameConfig(existing.config, config)) return { created: false };
        throw error;
      }
    },

    /** Sets the connector's config; PUT is idempotent in Kafka Connect. */
    async putConnectorConfig(name: string, config: StringMap): Promise<void> {
      await kafkaConnect.putConnectorConfig(name, config);
    },

    /** Deletes the connector; one already gone counts as deleted. */
    async deleteConnector(name: string): Promise<{ existed: boolean }> {
      return { existed: await kafkaConnect.deleteConnector(name) };
    },

    async controlConnector(
      name: string,
      action: ConnectActionInput['action'],
      options: { includeTasks: boolean; onlyFailed: boolean },
    ): Promise<void> {
      if (!CONNECT_ACTIONS.includes(action)) {
        throw validationError(`unknown action ${String(action)}`, {
          action: [`expected one of ${CONNECT_ACTIONS.join(', ')}`],
        });
      }
      if (action === 'pause') await kafkaConnect.pause(name);
      else if (action === 'resume') await kafkaConnect.resume(name);
      else if (action === 'stop') await kafkaConnect.stop(name);
      else await kafkaConnect.restart(name, options);
    },

    /**
     * Restarts one task of the connector. A task number the connector lacks is Connect's 404, kept
     * with its message; a repeat restarts the task again, which is what was asked.
     */
    async restartConnectorTask(name: string, task: number): Promise<void> {
      await kafkaConnect.restartTask(name, parseConnectTaskRestartInput({ id: name, task }).task);
    },

    async readConnectStatus(name: string): Promise<ConnectStatusRead> {
      return readStatus(name);
    },

    /**
     * Reads the connector's status every 50 ms for up to `windowMs`, until it has settled at
     * `target` (or failed, or is gone, past the grace): most connectors start within a
     * second, and a poll inside one step costs no Temporal round trip and no timer (whose firing
     * the dev server rounds to about a second). Not settled by then: the last reading, for the
     * workflow to keep watching with durable timers.
     */
    async awaitConnectStatus(
      name: string,
      target: DfStatus,
      windowMs: number,
    ): Promise<{ reading: ConnectStatusRead; settled: boolean }> {
      const started = Date.now();
      for (;;) {
        const reading = await readStatus(name);
        if (connectSettled(reading, target, Date.now() - started)) return { reading, settled: true };
        if (Date.now() - started + AWAIT_INTERVAL_MS > windowMs) return { reading, settled: false };
        await new Promise((resolve) => setTimeout(resolve, AWAIT_INTERVAL_MS));
      }
    },

    /**
     * After a new config: reads the connector's config, its tasks' configs and its status every
     * 50 ms for up to `windowMs`, until Kafka Connect runs the new config in the state asked for
     * (or failed, or is gone, past `graceMs`), seen twice in a row. Not settled by then: the
     * last reading, for the workflow to watch on.
     */
    async awaitConnectApplied(
      name: string,
      target: DfStatus,
      expected: StringMap,
      previous: StringMap,
      windowMs: number,
      graceMs: number,
    ): Promise<{ reading: ConnectStatusRead; settled: boolean }> {
      const started = Date.now();
      let confirmed = 0;
      for (;;) {
        const read = await readApplied(name);
        confirmed = connectAppliedSettled(read, target, expected, previous, Date.now() - started, graceMs)
          ? confirmed + 1
          : 0;
        if (confirmed >= APPLIED_CONFIRMATIONS) return { reading: read.reading, settled: true };
        if (Date.now() - started + AWAIT_INTERVAL_MS > windowMs) return { reading: read.reading, settled: false };
        await new Promise((resolve) => setTimeout(resolve, AWAIT_INTERVAL_MS));
      }
    },
  };
}

export type ConnectActivities = ReturnType<typeof createConnectActivities>;
