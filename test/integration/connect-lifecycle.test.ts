import fs from 'node:fs/promises';
import path from 'node:path';
import axios from 'axios';
import { engineMessage } from '../../src/domain/engine-message';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * A FileStreamSource connect through its whole life on the real stack: every step goes through
 * the API and its workflow, and after each one Kafka Connect and the repository agree.
 */
describe('Connect LAUD: a FileStreamSource connect from add to delete', () => {
  let app: DfApp;
  let dir: string;
  let file: string;
  const id = uniqueName('fs');
  const topic = uniqueName('it-fs-topic');
  const connect = () => axios.create({ baseURL: app.config.kafkaConnectUrl, validateStatus: () => true });
  const stored = () => app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never });
  const connectState = async () => (await connect().get(`/connectors/${id}/status`)).data;

  beforeAll(async () => {
    app = await startDfApp('connect_life');
    dir = await dataTempDir(app, 'df-it-life-');
    file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'alpha\nbeta\ngamma\n');
  });

  afterAll(async () => {
    await connect().delete(`/connectors/${id}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('adds: RUNNING in Kafka Connect and in the repository, and the file reaches the topic', async () => {
    const res = await app.api.post('/ps', {
      id,
      name: 'Lines to topic',
      description: 'reads lines.txt',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorCategory: 'source', // what the original UI sends; DF derives CONNECT from the type
      connectorConfig: { tasks_max: 1, file, topic },
    });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({
      id, connectUid: id, name: 'Lines to topic', connectorCategory: 'CONNECT', status: 'RUNNING', revision: 1,
      connectorConfig: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', 'tasks.max': '1', file, topic, name: id,
      },
    });
    expect(res.headers['x-df-workflow-id']).toBe(`df-connect-add-${id}`);
    const state = await connectState();
    expect(state.connector.state).toBe('RUNNING');
    expect((await stored())?.status).toBe('RUNNING');
    expect(await readTopic(app.config.kafkaBrokers, topic, 3)).toEqual(['"alpha"', '"beta"', '"gamma"']);
  });

  it('stores dotted config keys safely and answers them exactly as given', async () => {
    const doc = await stored();
    expect(Object.keys(doc?.connectorConfig ?? {})).toEqual(expect.arrayContaining(['tasks%2Emax', 'connector%2Eclass']));
    const { data } = await app.api.get(`/ps/${id}`);
    const { data: inConnect } = await connect().get(`/connectors/${id}/config`);
    expect(data.connectorConfig).toEqual(inConnect);
  });

  it('pauses, resumes and stops, the repository following Kafka Connect', async () => {
    for (const [action, expected] of [['pause', 'PAUSED'], ['resume', 'RUNNING'], ['stop', 'STOPPED'], ['resume', 'RUNNING']] as const) {
      const res = await app.api.post(`/ps/${id}/${action}`);
      expect({ action, status: res.status, state: res.data.status }).toEqual({ action, status: 200, state: expected });
      expect((await connectState()).connector.state).toBe(expected);
      expect((await stored())?.status).toBe(expected);
    }
  });

  it('takes the original UI\'s PUT with status PAUSE and RESUME as actions, not as statuses to store', async () => {
    const { data: task } = await app.api.get(`/ps/${id}`);
    const paused = await app.api.put(`/ps/${id}`, { ...task, status: 'PAUSE' });
    expect(paused.status).toBe(200);
    expect(paused.data.status).toBe('PAUSED');
    const resumed = await app.api.put(`/ps/${id}`, { ...task, status: 'RESUME' });
    expect(resumed.data.status).toBe('RUNNING');
    expect((await connectState()).connector.state).toBe('RUNNING');
  });

  it('updates tasks.max and the file: Kafka Connect\'s config equals the repository\'s', async () => {
    const other = path.join(dir, 'more.txt');
    await fs.writeFile(other, 'delta\n');
    const { data: before } = await app.api.get(`/ps/${id}`);
    const res = await app.api.put(`/ps/${id}`, {
      ...before,
      description: 'reads more.txt',
      connectorConfig: { ...before.connectorConfig, 'tasks.max': '2', file: other },
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ description: 'reads more.txt', revision: before.revision + 1, status: 'RUNNING' });
    const { data: inConnect } = await connect().get(`/connectors/${id}/config`);
    expect(inConnect).toMatchObject({ 'tasks.max': '2', file: other });
    expect(res.data.connectorConfig).toEqual(inConnect);
    const { data: reread } = await app.api.get(`/ps/${id}`);
    expect(reread.connectorConfig).toEqual(inConnect);
    file = other;
  });

  it('sees a task fail when its file breaks, and restarts only the failed task once the file is fixed', async () => {
    // A line over the producer's 1 MB limit makes the task fail with RecordTooLargeException.
    await fs.appendFile(file, `${'x'.repeat(2_000_000)}\n`);
    const failed = await eventually('task FAILED in Kafka Connect', async () => {
      const state = await connectState();
      return state.tasks?.[0]?.state === 'FAILED' ? state : undefined;
    }, 60000);
    expect(failed.tasks[0].trace).toMatch(/RecordTooLargeException/);
    const { data: live } = await app.api.get(`/status/${id}`);
    expect(live[0]).toMatchObject({ id: `${id}_0`, jobId: id, subTaskId: '0', state: 'FAILED', dfTaskState: 'RWE', taskState: 'RUNNING' });
    // The answer repeats the trace's message line only: the rest can carry the data the task read.
    expect(live[0].trace).toBe(engineMessage(failed.tasks[0].trace));
    expect(live[0].trace).not.toMatch(/\n/);

    await fs.writeFile(file, 'delta\n');
    const res = await app.api.post(`/ps/${id}/restart?includeTasks=true&onlyFailed=true`);
    expect(res.status).toBe(200);
    expect(res.data.status).toBe('RUNNING');
    expect((await connectState()).tasks[0].state).toBe('RUNNING');
    expect((await stored())?.status).toBe('RUNNING');
  });

  it('deletes: gone from Kafka Connect and from the repository', async () => {
    const res = await app.api.delete(`/ps/${id}`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id, deleted: true, connectorExisted: true });
    expect((await connect().get(`/connectors/${id}`)).status).toBe(404);
    expect(await stored()).toBeNull();
    expect((await app.api.get(`/ps/${id}`)).status).toBe(404);
  });
});
