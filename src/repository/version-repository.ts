import { type Collection, type Db, MongoServerError } from 'mongodb';
import {
  CONFIG_VERSION_ROW_SHAPE,
  type ConfigVersion,
  type ConfigVersionInput,
  type ConfigVersionStore,
  type VersionOperation,
} from '../domain/config-version';
import { DfError } from '../domain/errors';
import type { StringMap, TaskCategory } from '../domain/task';
import { ensureNamedIndexes } from './indexes';
import { decodeMap } from './key-encoding';
import { isDuplicateKey } from './mongo';
import { type ConfigSealer, NO_SEALING, SecretCipherError } from './secret-cipher';
import { storedMap } from './task-doc';

export const VERSION_COLLECTION = 'df_versions';

interface VersionDoc {
  /** `<taskId>:<version>`: a number is taken once per task, whoever races for it. */
  _id: string;
  taskId: string;
  version: number;
  category: TaskCategory;
  operation: VersionOperation;
  connectorType: string;
  /** Keys encoded, secret values sealed, as in df_processor. */
  connectorConfig: StringMap;
  actor: string;
  at: Date;
  workflowId: string;
  runId: string;
  restoredVersion?: number;
}

const RUN_INDEX = { key: { taskId: 1, workflowId: 1, runId: 1 }, name: 'task_run_once', unique: true } as const;
/** The plain index on the same keys that RUN_INDEX replaces. */
const SUPERSEDED_RUN_INDEX = 'task_run';

/** Attempts at the next number when another run takes it first (only runs that bypass the task's lock race). */
const KEEP_ATTEMPTS = 5;

/**
 * df_versions: the configs DF applied to each task, numbered per task. A run keeps at most one
 * version of a task: keeping it again (a retried step, a rerun after the worker died) finds the
 * one kept before. Secrets are stored sealed as the task's own config is.
 */
export class VersionRepository implements ConfigVersionStore {
  private readonly collection: Collection<VersionDoc>;
  private readonly sealer: ConfigSealer;
  /**
   * Whether the store refuses a second version of one run (its unique index is in place): keep()
   * then searches by run only after such a refusal, since that search reads every version on a
   * store that filters in its own code.
   */
  private runsUnique = false;

  constructor(db: Db, options: { sealer?: ConfigSealer } = {}) {
    this.collection = db.collection<VersionDoc>(VERSION_COLLECTION);
    this.sealer = options.sealer ?? NO_SEALING;
  }

  async ensureIndexes(): Promise<void> {
    await ensureNamedIndexes(this.collection, [{ key: { taskId: 1, version: -1 }, name: 'task_version' }]);
    try {
      await ensureNamedIndexes(this.collection, [RUN_INDEX]);
    } catch (error) {
      // A store holding two versions of one run cannot take the index (MongoDB says duplicate key,
      // FerretDB a failed constraint): keep() goes on searching by run.
      if (error instanceof MongoServerError) return;
      throw error;
    }
    this.runsUnique = true;
    // The unique index answers everything the plain one did.
    await this.collection.dropIndex(SUPERSEDED_RUN_INDEX).catch(() => undefined);
  }

  async keep(input: ConfigVersionInput, run: { workflowId: string; runId: string }, at: Date): Promise<ConfigVersion> {
    for (let attempt = 1; ; attempt++) {
      // The first attempt reads by _id alone: the store (FerretDB on SQLite) filters anything else
      // by reading every version of every task, which made each add slower as versions grew. A
      // number taken meanwhile, or a gap in the numbers, sends the next attempt to the full query.
      const last = attempt === 1 ? await this.latestById(input.taskId) : await this.latestByQuery(input.taskId);
      // A run keeps at most one version: its own is the latest unless another run kept one since.
      if (last && last.workflowId === run.workflowId && last.runId === run.runId) return this.versionOf(last);
      // One kept earlier and followed by another run's: the unique index refuses the insert below,
      // and the next attempt finds it.
      const kept =
        last && (attempt > 1 || !this.runsUnique)
          ? await this.collection.findOne({ taskId: input.taskId, workflowId: run.workflowId, runId: run.runId })
          : null;
      if (kept) return this.versionOf(kept);
      const version = (last?.version ?? 0) + 1;
      const doc: VersionDoc = {
        _id: `${input.taskId}:${version}`,
        taskId: input.taskId,
        version,
        category: input.category,
        operation: input.operation,
        connectorType: input.connectorType,
        connectorConfig: storedMap(input.connectorConfig, this.sealer),
        actor: input.actor,
        at,
        workflowId: run.workflowId,
        runId: run.runId,
        ...(input.restoredVersion !== undefined ? { restoredVersion: input.restoredVersion } : {}),
      };
      try {
        await this.collection.insertOne(doc);
        return this.versionOf(doc);
      } catch (error) {
        // The number was taken meanwhile (by this run's own earlier attempt, or another run), or this
        // run kept a version before: look again.
        if (!isDuplicateKey(error) || attempt >= KEEP_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The task's highest version, found by reading numbers by _id (1, 2, 4, … then halving the gap):
   * about 2·log2(n) lookups, one for a task with none. Numbers are taken one after another from 1
   * and never removed; where that does not hold, the insert's duplicate key sends keep() to latestByQuery.
   */
  private async latestById(taskId: string): Promise<VersionDoc | undefined> {
    const at = (version: number) => this.collection.findOne({ _id: `${taskId}:${version}` });
    let found = await at(1);
    if (!found) return undefined;
    let low = 1;
    let high = 2;
    for (let doc = await at(high); doc; doc = await at(high)) {
      found = doc;
      low = high;
      high *= 2;
    }
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      const doc = await at(middle);
      if (doc) {
        found = doc;
        low = middle;
      } else {
        high = middle;
      }
    }
    return found;
  }

  private async latestByQuery(taskId: string): Promise<VersionDoc | undefined> {
    const [last] = await this.collection.find({ taskId }).sort({ version: -1 }).limit(1).toArray();
    return last;
  }

  async get(taskId: string, version: number): Promise<ConfigVersion | undefined> {
    const doc = await this.collection.findOne({ _id: `${taskId}:${version}` });
    return doc ? this.versionOf(doc) : undefined;
  }

  /** One page of a task's versions in the order asked (by number unless `sort` names another row field), and the total. */
  async list(
    taskId: string,
    skip: number,
    limit: number,
    order: 'ASC' | 'DESC',
    sort = 'version',
  ): Promise<{ items: ConfigVersion[]; total: number }> {
    const direction = order === 'ASC' ? 1 : -1;
    const field = CONFIG_VERSION_ROW_SHAPE.fields.includes(sort) ? sort : 'version';
    const by: Record<string, 1 | -1> = { [field]: direction, version: direction };
    const [docs, total] = await Promise.all([
      limit === 0 ? Promise.resolve([]) : this.collection.find({ taskId }).sort(by).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments({ taskId }),
    ]);
    return { items: docs.map((d) => this.versionOf(d)), total };
  }

  private versionOf(doc: VersionDoc): ConfigVersion {
    let connectorConfig: StringMap;
    try {
      connectorConfig = this.sealer.open(decodeMap(doc.connectorConfig ?? {}));
    } catch (error) {
      if (!(error instanceof SecretCipherError)) throw error;
      throw new DfError(
        'UNREADABLE_RECORD',
        `version ${doc.version} of task ${doc.taskId} cannot be read: connectorConfig.${error.message}`,
        { details: { id: doc.taskId, version: doc.version, problems: [`connectorConfig.${error.message}`] } },
      );
    }
    return {
      taskId: doc.taskId,
      version: doc.version,
      category: doc.category,
      operation: doc.operation,
      connectorType: doc.connectorType,
      connectorConfig,
      actor: doc.actor,
      at: doc.at instanceof Date ? doc.at.toISOString() : String(doc.at),
      workflowId: doc.workflowId,
      runId: doc.runId,
      ...(doc.restoredVersion !== undefined ? { restoredVersion: doc.restoredVersion } : {}),
    };
  }
}
