import type { Activities } from '../../activities';
import type { PreparedConnectAdd, PreparedConnectUpdate } from '../../activities/connect';
import { DfError } from '../../src/domain/errors';
import type { StatusReading } from '../../src/domain/status';
import { runWorkflow } from '../../src/temporal/run';
import { connectAction, connectAdd, connectUpdate } from '../../workflows/connect';
import { uniqueName } from '../support/stack';
import { connectTaskOf } from '../support/tasks';
import { useWorkflowTestEnv } from '../support/workflow-env';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The Connect workflows' own logic on a real Temporal dev server with fake activities: what is
 * undone when a step fails after another succeeded, and that the task lock serialises operations.
 */
describe('Connect workflows: compensation and serialisation', () => {
  const { client, runWith } = useWorkflowTestEnv();

  const prepared = (id: string): PreparedConnectAdd => ({
    id,
    taskSeq: '1',
    name: id,
    description: '',
    connectorType: 'CONNECT_SOURCE_X',
    connectorConfig: { 'connector.class': 'C', name: id },
  });

  /** An update that changes the connector's file from /old to /new, run with these fake steps; records each config put. */
  function runFileUpdate(steps: (puts: string[]) => Partial<Activities>) {
    const id = uniqueName('upd');
    const old = connectTaskOf(id, { connectorConfig: { 'connector.class': 'C', name: id, file: '/old' } });
    const plan: PreparedConnectUpdate = {
      task: old,
      edit: { connectorConfig: { ...old.connectorConfig, file: '/new' } },
    };
    const puts: string[] = [];
    const run = runWith({ prepareConnectUpdate: async () => plan, ...steps(puts) }, (taskQueue) =>
      runWorkflow(client(), connectUpdate, {
        taskQueue,
        workflowId: uniqueName('upd'),
        args: [{ id }],
        waitMs: 30000,
      }),
    );
    return { run, puts };
  }

  /** An add whose create step fails with `failure`; records the steps and undos it runs. */
  function runAddFailingCreate(failure: DfError) {
    const id = uniqueName('add');
    const calls: string[] = [];
    const run = runWith(
      {
        prepareConnectAdd: async () => prepared(id),
        insertConnectTask: async () => {
          calls.push('insert');
          return connectTaskOf(id);
        },
        createConnector: async () => {
          calls.push('create');
          throw failure;
        },
        removeTaskWrittenByThisOperation: async () => {
          calls.push('remove-record');
          return { removed: true };
        },
        deleteConnector: async () => {
          calls.push('delete-connector');
          return { existed: true };
        },
      },
      (taskQueue) =>
        runWorkflow(client(), connectAdd, {
          taskQueue,
          workflowId: `df-connect-add-${id}`,
          args: [{}],
          waitMs: 30000,
        }),
    );
    return { run, calls };
  }

  it('removes the new record again when Kafka Connect refuses to create the connector', async () => {
    const { run, calls } = runAddFailingCreate(
      new DfError('RAS_CLIENT_ERROR', 'kafka-connect answered 400: bad config', { httpStatus: 400 }),
    );
    await expect(run).rejects.toMatchObject({
      code: 'RAS_CLIENT_ERROR',
      httpStatus: 400,
      message: 'kafka-connect answered 400: bad config',
    });
    expect(calls).toEqual(['insert', 'create', 'remove-record']);
  });

  it('deletes the connector as well when creating failed without a refusal (an attempt may have created it)', async () => {
    // Kafka Connect's own answer when its herder is slow: the connector may still be created.
    const { run, calls } = runAddFailingCreate(
      new DfError('RAS_SERVER_ERROR', 'kafka-connect answered 500 to POST /connectors: Request timed out', {
        retryable: false,
      }),
    );
    await expect(run).rejects.toMatchObject({
      code: 'RAS_SERVER_ERROR',
      message: expect.stringMatching(/Request timed out/),
    });
    expect(calls).toEqual(['insert', 'create', 'delete-connector', 'remove-record']);
  });

  it('deletes the connector and the record when the state cannot be recorded after creating', async () => {
    const id = uniqueName('add');
    const calls: string[] = [];
    const run = runWith(
      {
        prepareConnectAdd: async () => prepared(id),
        insertConnectTask: async () => {
          calls.push('insert');
          return connectTaskOf(id);
        },
        createConnector: async () => {
          calls.push('create');
          return { created: true };
        },
        readConnectStatus: async () => ({ status: 'RUNNING' }),
        awaitConnectStatus: async () => ({ reading: { status: 'RUNNING' }, settled: true }),
        recordTaskStatus: async () => {
          calls.push('record-status');
          throw new DfError('STORE_ERROR', 'store gone', { retryable: false });
        },
        deleteConnector: async () => {
          calls.push('delete-connector');
          return { existed: true };
        },
        removeTaskWrittenByThisOperation: async () => {
          calls.push('remove-record');
          return { removed: true };
        },
      },
      (taskQueue) =>
        runWorkflow(client(), connectAdd, {
          taskQueue,
          workflowId: `df-connect-add-${id}`,
          args: [{}],
          waitMs: 30000,
        }),
    );
    await expect(run).rejects.toMatchObject({
      message: expect.stringMatching(
        /was created but its state could not be recorded \(store gone\); it was removed again/,
      ),
    });
    expect(calls).toEqual(['insert', 'create', 'record-status', 'delete-connector', 'remove-record']);
  });

  it('puts the old config back in Kafka Connect when the repository refuses the edit', async () => {
    const { run, puts } = runFileUpdate((puts) => ({
      putConnectorConfig: async (_name: string, config: Record<string, string>) => {
        puts.push(config.file);
      },
      editTask: async () => {
        throw new DfError('CONFLICT', 'task changed meanwhile');
      },
    }));
    await expect(run).rejects.toMatchObject({ code: 'CONFLICT', httpStatus: 409 });
    expect(puts).toEqual(['/new', '/old']);
  });

  it('puts the old config back when giving Kafka Connect the new one failed without a refusal (it may have been applied)', async () => {
    const { run, puts } = runFileUpdate((puts) => ({
      putConnectorConfig: async (_name: string, config: Record<string, string>) => {
        puts.push(config.file);
        if (config.file === '/new')
          throw new DfError(
            'RAS_SERVER_ERROR',
            'kafka-connect answered 500 to PUT /connectors/x/config: Request timed out',
            { retryable: false },
          );
      },
      editTask: async () => {
        throw new Error('the edit must not be recorded');
      },
    }));
    await expect(run).rejects.toMatchObject({ code: 'RAS_SERVER_ERROR' });
    expect(puts).toEqual(['/new', '/old']);
  });

  it('leaves Kafka Connect alone when it refuses the new config', async () => {
    const { run, puts } = runFileUpdate((puts) => ({
      putConnectorConfig: async (_name: string, config: Record<string, string>) => {
        puts.push(config.file);
        throw new DfError('RAS_CLIENT_ERROR', 'kafka-connect answered 400: bad config', { httpStatus: 400 });
      },
    }));
    await expect(run).rejects.toMatchObject({ code: 'RAS_CLIENT_ERROR', httpStatus: 400 });
    expect(puts).toEqual(['/new']);
  });

  it('runs operations on one task one at a time, each waiting its turn', async () => {
    const active = new Map<string, number>();
    const overlaps: string[] = [];
    const order: string[] = [];
    await runWith(
      {
        getConnectTask: async (id: string) => connectTaskOf(id),
        controlConnector: async (name: string) => {
          const now = (active.get(name) ?? 0) + 1;
          active.set(name, now);
          if (now > 1) overlaps.push(name);
          order.push(name);
          await sleep(150);
          active.set(name, now - 1);
        },
        readConnectStatus: async () => ({ status: 'PAUSED' }),
        awaitConnectStatus: async () => ({ reading: { status: 'PAUSED' }, settled: true }),
        recordTaskStatus: async (id: string, reading: StatusReading) => ({
          ...connectTaskOf(id),
          status: reading.status,
        }),
      },
      async (taskQueue) => {
        const a = uniqueName('lock-a');
        const b = uniqueName('lock-b');
        const runs = [a, a, a, a, a, b, b].map((id) =>
          client().workflow.execute(connectAction, {
            taskQueue,
            workflowId: uniqueName('act'),
            args: [{ id, action: 'pause' }],
          }),
        );
        const started = Date.now();
        await Promise.all(runs);
        return Date.now() - started;
      },
    );
    expect(overlaps).toEqual([]);
    expect(order.length).toBe(7);
  });

  it('lets the next operation through when the one holding the task was terminated without releasing it', async () => {
    const id = uniqueName('dead');
    let controlled = 0;
    const finished = await runWith(
      {
        getConnectTask: async (taskId: string) => connectTaskOf(taskId),
        controlConnector: async () => {
          controlled++;
          if (controlled === 1) await sleep(25_000); // the first holder is stuck in its step when it is terminated
        },
        awaitConnectStatus: async () => ({ reading: { status: 'PAUSED' }, settled: true }),
        recordTaskStatus: async (taskId: string, reading: StatusReading) => ({
          ...connectTaskOf(taskId),
          status: reading.status,
        }),
      },
      async (taskQueue) => {
        const stuck = await client().workflow.start(connectAction, {
          taskQueue,
          workflowId: uniqueName('stuck'),
          args: [{ id, action: 'pause' }],
        });
        while (controlled === 0) await sleep(50);
        const next = client().workflow.execute(connectAction, {
          taskQueue,
          workflowId: uniqueName('next'),
          args: [{ id, action: 'pause' }],
        });
        await sleep(500);
        await stuck.terminate('operator stopped a stuck operation');
        return next;
      },
    );
    expect(finished).toMatchObject({ id, status: 'PAUSED' });
    expect(controlled).toBe(2);
  }, 90_000);
});
