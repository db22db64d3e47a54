import type { Db } from 'mongodb';
import type { DfStatus } from '../../src/domain/status';
import type { NewTask } from '../../src/domain/task';
import { TaskRepository } from '../../src/repository/task-repository';
import { fakeConnectorName, fakeJobId } from './fake-ras';

const STATUSES = ['RUNNING', 'RUNNING', 'RUNNING', 'PAUSED', 'UNASSIGNED', 'STOPPED'] as const satisfies DfStatus[];

/** The status of bench connect i, and the state its fake connector is in (they agree, so a sync round finds nothing to change). */
export function benchStatusOf(i: number): (typeof STATUSES)[number] {
  return STATUSES[i % STATUSES.length];
}
const SEED_OPERATION = { type: 'benchSeed', workflowId: 'bench-seed', runId: 'bench-seed' };

/**
 * A connect task per fake connector and a transform per fake Flink job, in the shapes DF stores:
 * statuses, names and descriptions varied so filters and sorts have work to do.
 */
export function benchTasks(connects: number, transforms: number): NewTask[] {
  const tasks: NewTask[] = [];
  for (let i = 0; i < connects; i++) {
    const id = fakeConnectorName(i);
    tasks.push({
      id,
      taskSeq: String(i % 100),
      name: `orders feed ${i % 997} #${i}`,
      description: `bench connect ${i}: file → topic fake-${i}`,
      connectorType: i % 2 ? 'CONNECT_SOURCE_KAFKA_FileStream' : 'CONNECT_SINK_KAFKA_FileStream',
      connectorCategory: 'CONNECT',
      connectUid: id,
      status: benchStatusOf(i),
      connectorConfig: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'tasks.max': '1',
        file: `/tmp/fake-${i}`,
        topic: `fake-${i}`,
      },
      jobConfig: null,
    });
  }
  for (let i = 0; i < transforms; i++) {
    const id = `fake-transform-${i}`;
    tasks.push({
      id,
      taskSeq: String(i % 100),
      name: `hourly rollup ${i}`,
      description: `bench transform ${i}`,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorCategory: 'TRANSFORM',
      connectUid: id,
      status: 'RUNNING',
      connectorConfig: { sql: `SELECT * FROM t${i}` },
      jobConfig: { flink_job_id: fakeJobId(i) },
    });
  }
  return tasks;
}

/** Tasks per insert when seeding: about 3 MB of documents, well under the wire's 48 MB message. */
const SEED_BATCH = 5000;

/** Writes the tasks into df_processor in bulk (`perInsert` per insert), with the product's indexes. */
export async function seedTasks(db: Db, tasks: NewTask[], perInsert = SEED_BATCH): Promise<void> {
  const repo = new TaskRepository(db);
  await repo.ensureIndexes();
  const at = new Date(Date.now() - 3_600_000);
  for (let i = 0; i < tasks.length; i += perInsert)
    await repo.insertManyUnlessTaken(tasks.slice(i, i + perInsert), SEED_OPERATION, at);
}
