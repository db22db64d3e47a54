import fs from 'node:fs/promises';
import path from 'node:path';
import { spelledConfig } from '../../src/domain/config-spelling';
import { engineMessage } from '../../src/domain/engine-message';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { connectRest } from './connect-rest';
import { DfApp } from './df-app';
import { eventually } from './wait';

/** A FileStreamSource connect a spec drives through DF, reading `file` (under DF's data directory). */
export interface FileConnect {
  app: DfApp;
  id: string;
  dir: string;
  file: string;
}

export function storedTask(app: DfApp, id: string) {
  return app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never });
}

/**
 * Updates the connect to read `nextFile` with `tasksMax` tasks. DF answers RUNNING only once
 * Kafka Connect has settled on the update, so at that moment Connect's config, its tasks' configs
 * and its status all say so; the connect reads `nextFile` from then on.
 */
export async function updateFileAndTasksMax(connect: FileConnect, nextFile: string, tasksMax: string): Promise<void> {
  const { app, id } = connect;
  const rest = connectRest(app.config);
  await fs.writeFile(nextFile, 'delta\n');
  const { data: before } = await app.api.get(`/ps/${id}`);
  const description = `reads ${path.basename(nextFile)}`;
  // Kafka Connect's spelling of tasks.max, whichever spelling the record was read back in: the
  // changed value is the edit.
  const res = await app.api.put(`/ps/${id}`, {
    ...before,
    description,
    connectorConfig: { ...before.connectorConfig, 'tasks.max': tasksMax, file: nextFile },
  });
  expect(res.status).toBe(200);
  expect(res.data).toMatchObject({ description, revision: before.revision + 1, status: 'RUNNING' });

  const { data: inConnect } = await rest.get(`/connectors/${id}/config`);
  expect(inConnect).toMatchObject({ 'tasks.max': tasksMax, file: nextFile });
  // The answer spells the keys as the connect was created (tasks_max from the original's UI).
  expect(res.data.connectorConfig).toEqual(spelledConfig(inConnect, res.data.keySpelling));
  const { data: tasks } = await rest.get(`/connectors/${id}/tasks`);
  expect(tasks.length).toBeGreaterThan(0);
  for (const task of tasks) expect(task.config).toMatchObject({ file: nextFile });
  const { data: state } = await rest.get(`/connectors/${id}/status`);
  expect(state.connector.state).toBe('RUNNING');
  expect(state.tasks.map((t: { state: string }) => t.state)).toEqual(tasks.map(() => 'RUNNING'));
  const { data: reread } = await app.api.get(`/ps/${id}`, { params: { keySpelling: 'dotted' } });
  expect(reread.connectorConfig).toEqual(inConnect);
  connect.file = nextFile;
}

/**
 * Breaks the connect's file (a line over the producer's 1 MB limit makes its task fail with
 * RecordTooLargeException), sees DF report the failed task, fixes the file and restarts only the
 * failed task through DF.
 */
export async function failTaskAndRestartIt(connect: FileConnect): Promise<void> {
  const { app, id, file } = connect;
  const rest = connectRest(app.config);
  await fs.appendFile(file, `${'x'.repeat(2_000_000)}\n`);
  const failed = await eventually(
    'task FAILED in Kafka Connect',
    async () => {
      const { data: state } = await rest.get(`/connectors/${id}/status`);
      return state.tasks?.[0]?.state === 'FAILED' ? state : undefined;
    },
    60000,
  );
  expect(failed.tasks[0].trace).toMatch(/RecordTooLargeException/);
  const { data: live } = await app.api.get(`/status/${id}`);
  expect(live[0]).toMatchObject({
    id: `${id}_0`,
    jobId: id,
    subTaskId: '0',
    state: 'FAILED',
    dfTaskState: 'RWE',
    taskState: 'RUNNING',
  });
  // The answer repeats the trace's message line only: the rest can carry the data the task read.
  expect(live[0].trace).toBe(engineMessage(failed.tasks[0].trace));
  expect(live[0].trace).not.toMatch(/\n/);

  await fs.writeFile(file, 'delta\n');
  const res = await app.api.post(`/ps/${id}/restart?includeTasks=true&onlyFailed=true`);
  expect(res.status).toBe(200);
  expect(res.data.status).toBe('RUNNING');
  expect((await rest.get(`/connectors/${id}/status`)).data.tasks[0].state).toBe('RUNNING');
  expect((await storedTask(app, id))?.status).toBe('RUNNING');
}
