import { produce, readTopic, topicEnd, topicPartitions } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { engineHttp } from '../support/engines';
import { operationAnswer, addStreamBackBatch, transformEnded } from '../support/transforms';
import { InFlight, lostOperations, runConnectPlan, scenarioLine } from '../faults/support/connect-operations';
import { expectAgreement, runsPerConnect } from '../faults/support/fault-app';
import { deleteKept, drillPlan } from './support/kill-drill';
import { ClusterDeployment, killProcess, openCluster, reviveService } from './support/cluster';

const ROWS = 5_000;

/**
 * The Kafka broker leading the topics in use killed while a streaming transform writes to one, a
 * batch transform streams its result back to another and connect operations run: with every topic
 * replicated 3 times, 2 in sync, the other brokers take the partitions over; the streaming job keeps
 * producing, the stream back delivers every row, and every connect operation ends once.
 */
describe('cluster fault: a Kafka broker killed', () => {
  let cluster: ClusterDeployment;
  const transforms: string[] = [];
  beforeAll(async () => {
    cluster = await openCluster();
  });
  afterAll(async () => {
    for (const id of transforms) await cluster.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } });
    await cluster?.close();
  });

  it('keeps a streaming job producing and a stream back delivering every row', async () => {
    const brokers = cluster.config.kafkaBrokers;
    const generated = uniqueName('cl-gen');
    const topicIn = uniqueName('cl-sb-in');
    const topicBack = uniqueName('cl-sb-back');
    for (const topic of [generated, topicIn]) await cluster.services.kafka.ensureTopic(topic, 1, 3);
    await produce(
      brokers,
      topicIn,
      Array.from({ length: ROWS }, (_, n) => ({ n })),
    );

    const streaming = uniqueName('clgen');
    transforms.push(streaming);
    const running = await operationAnswer(
      cluster,
      await cluster.api.post('/tr', {
        id: streaming,
        name: streaming,
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
        connectorConfig: {
          trans_sql: `CREATE TABLE numbers (n BIGINT) WITH ('connector'='datagen', 'rows-per-second'='200');
            CREATE TABLE generated (n BIGINT) WITH ('connector'='kafka', 'topic'='${generated}',
              'properties.bootstrap.servers'='${brokers.join(',')}', 'format'='json');
            INSERT INTO generated SELECT n FROM numbers;`,
        },
      }),
    );
    expect(running.status).toBe('RUNNING');
    await eventually(
      'the streaming job producing',
      async () => ((await topicEnd(brokers, generated)) > 0 ? true : undefined),
      120_000,
    );

    const batch = uniqueName('clsb');
    transforms.push(batch);
    const submitted = await addStreamBackBatch(cluster, {
      id: batch,
      topicIn,
      topicOut: topicBack,
      sql: `SELECT n FROM \`${topicIn}\``,
    });
    expect([201, 202]).toContain(submitted.status);

    // Connect operations run meanwhile, through both API processes: Connect's own topics and the
    // workers' group ride out the broker's loss too.
    const { plan, removeFiles } = await drillPlan(cluster, 'brk', 12);
    const inFlight = new InFlight();
    const operations = runConnectPlan(cluster.api, cluster.temporal.client, plan, { concurrency: 6 }, inFlight);
    await eventually('6 operations done', async () => (inFlight.completed >= 6 ? true : undefined), 300_000, 50);

    // The broker that leads the streaming job's partition: the one whose loss it must ride out.
    const leader = (await topicPartitions(brokers, generated))[0].leader;
    const before = await topicEnd(brokers, generated);
    const inFlightAtKill = inFlight.count;
    const killedAt = await killProcess(`kafka-${leader}`);
    const survivors = brokers.filter((_, i) => i + 1 !== leader);
    const producingAgainMs = await eventually(
      'the streaming job producing after the kill',
      async () => ((await topicEnd(survivors, generated)) > before ? Date.now() - killedAt : undefined),
      120_000,
      250,
    );
    const task = await transformEnded(cluster, batch, 300_000, 500);
    const deliveredMs = Date.now() - killedAt;
    const produced = (await topicEnd(survivors, generated)) - before;
    const outcomes = await operations;
    const jobState = (await engineHttp(cluster.config, 'flink').get(`/jobs/${running.jobConfig?.flink_job_id}`)).data
      .state;
    await reviveService('kafka');

    const back = await readTopic(brokers, topicBack, ROWS);
    const distinct = new Set(back.map((v) => JSON.parse(v).n)).size;
    process.stdout.write(
      scenarioLine('Kafka broker killed', {
        operations: outcomes.length,
        'faults injected': 1,
        'broker killed': leader,
        'operations in flight at the fault': inFlightAtKill,
        'operations lost': lostOperations(plan, outcomes).count,
        'seconds until the streaming job produced again': (producingAgainMs / 1000).toFixed(1),
        'records produced after the kill': produced,
        'stream back rows': task.jobConfig?.stream_back_rows ?? 'none',
        'rows delivered': distinct,
        'rows lost': ROWS - distinct,
        'seconds from the kill to the stream back finished': (deliveredMs / 1000).toFixed(1),
      }),
    );
    expect(task.status).toBe('FINISHED');
    expect(task.jobConfig).toMatchObject({ stream_back_rows: String(ROWS) });
    expect(distinct).toBe(ROWS);
    expect(produced).toBeGreaterThan(0);
    expect((await cluster.api.get(`/tr/${streaming}`)).data.status).toBe('RUNNING');
    expect(jobState).toBe('RUNNING');

    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(lostOperations(plan, outcomes).lines).toEqual([]);
    expect((await runsPerConnect(cluster, plan)).filter((r) => r.runs !== r.operations)).toEqual([]);
    await expectAgreement(cluster, plan, 30_000);
    await deleteKept(cluster, plan);
    await removeFiles();
  });
});
