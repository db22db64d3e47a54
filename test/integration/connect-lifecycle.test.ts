import fs from 'node:fs/promises';
import path from 'node:path';
import { failTaskAndRestartIt, FileConnect, storedTask, updateFileAndTasksMax } from '../support/connect-lifecycle';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';

/**
 * A FileStreamSource connect through its whole life on the real stack: every step goes through
 * the API and its workflow, and after each one Kafka Connect and the repository agree.
 */
describe('Connect LAUD: a FileStreamSource connect from add to delete', () => {
  let app: DfApp;
  let dir: string;
  let file: string;
  let life: FileConnect;
  const id = uniqueName('fs');
  const topic = uniqueName('it-fs-topic');
  const connect = () => connectRest(app.config);
  const stored = () => storedTask(app, id);
  const connectState = async () => (await connect().get(`/connectors/${id}/status`)).data;

  beforeAll(async () => {
    app = await startDfApp('connect_life');
    dir = await dataTempDir(app, 'df-it-life-');
    file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'alpha\nbeta\ngamma\n');
    life = { app, id, dir, file };
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
    // Created in the original UI's spelling (tasks_max), it answers in that spelling.
    expect(res.data).toMatchObject({
      id,
      connectUid: id,
      name: 'Lines to topic',
      connectorCategory: 'CONNECT',
      status: 'RUNNING',
      revision: 1,
      keySpelling: 'underscore',
      connectorConfig: {
        connector_class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        tasks_max: '1',
        file,
        topic,
        name: id,
      },
    });
    expect(res.headers['x-df-workflow-id']).toBe(`df-connect-add-${id}`);
    const state = await connectState();
    expect(state.connector.state).toBe('RUNNING');
    expect((await stored())?.status).toBe('RUNNING');
    expect(await readTopic(app.config.kafkaBrokers, topic, 3)).toEqual(['"alpha"', '"beta"', '"gamma"']);
  });

  it("stores Kafka Connect's dotted keys safely and answers them in either spelling", async () => {
    const doc = await stored();
    expect(Object.keys(doc?.connectorConfig ?? {})).toEqual(
      expect.arrayContaining(['tasks%2Emax', 'connector%2Eclass']),
    );
    const { data: inConnect } = await connect().get(`/connectors/${id}/config`);
    const { data: dotted } = await app.api.get(`/ps/${id}`, { params: { keySpelling: 'dotted' } });
    expect(dotted.connectorConfig).toEqual(inConnect);
    const { data: asCreated } = await app.api.get(`/ps/${id}`);
    const { 'connector.class': connectorClass, 'tasks.max': tasksMax, ...rest } = inConnect;
    expect(asCreated.connectorConfig).toEqual({ ...rest, connector_class: connectorClass, tasks_max: tasksMax });
  });

  it('pauses, resumes and stops, the repository following Kafka Connect', async () => {
    for (const [action, expected] of [
      ['pause', 'PAUSED'],
      ['resume', 'RUNNING'],
      ['stop', 'STOPPED'],
      ['resume', 'RUNNING'],
    ] as const) {
      const res = await app.api.post(`/ps/${id}/${action}`);
      expect({ action, status: res.status, state: res.data.status }).toEqual({ action, status: 200, state: expected });
      expect((await connectState()).connector.state).toBe(expected);
      expect((await stored())?.status).toBe(expected);
    }
  });

  it("takes the original UI's PUT with status PAUSE and RESUME as actions, not as statuses to store", async () => {
    const { data: task } = await app.api.get(`/ps/${id}`);
    const paused = await app.api.put(`/ps/${id}`, { ...task, status: 'PAUSE' });
    expect(paused.status).toBe(200);
    expect(paused.data.status).toBe('PAUSED');
    const resumed = await app.api.put(`/ps/${id}`, { ...task, status: 'RESUME' });
    expect(resumed.data.status).toBe('RUNNING');
    expect((await connectState()).connector.state).toBe('RUNNING');
  });

  it('updates tasks.max and the file: DF answers RUNNING once Kafka Connect runs the new config', async () => {
    await updateFileAndTasksMax(life, path.join(life.dir, 'more.txt'), '2');
  });

  it('sees a task fail when its file breaks, and restarts only the failed task once the file is fixed', async () => {
    await failTaskAndRestartIt(life);
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
