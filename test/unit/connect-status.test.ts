import { dfStatusOfConnect } from '../../src/domain/status';

const task = (id: number, state: string, trace?: string) => ({
  id,
  state,
  worker_id: 'w:8083',
  ...(trace ? { trace } : {}),
});

describe('Kafka Connect state → DF status', () => {
  it.each([
    ['RUNNING', [task(0, 'RUNNING'), task(1, 'RUNNING')], 'RUNNING'],
    ['RUNNING', [], 'RUNNING'],
    ['PAUSED', [task(0, 'PAUSED')], 'PAUSED'],
    ['STOPPED', [], 'STOPPED'],
    ['UNASSIGNED', [], 'UNASSIGNED'],
    ['RESTARTING', [task(0, 'RESTARTING')], 'RESTARTING'],
    ['FAILED', [], 'FAILED'],
    ['running', [task(0, 'running')], 'RUNNING'],
  ])('connector %s with tasks %j is %s', (state, tasks, expected) => {
    expect(dfStatusOfConnect({ connector: { state }, tasks }).status).toBe(expected);
  });

  it("is RWE when the connector runs but a task does not, naming the task and the trace's message line only", () => {
    const trace =
      'org.apache.kafka.connect.errors.ConnectException: Unrecoverable exception\n\tat X.y(X.java:1)\nCaused by: org.apache.kafka.common.errors.RecordTooLargeException: too large\n';
    expect(
      dfStatusOfConnect({ connector: { state: 'RUNNING' }, tasks: [task(0, 'RUNNING'), task(1, 'FAILED', trace)] }),
    ).toEqual({
      status: 'RWE',
      reason: 'task 1 FAILED: org.apache.kafka.connect.errors.ConnectException: Unrecoverable exception',
    });
  });

  it('is RWE while a task is still unassigned, without claiming a failure', () => {
    expect(dfStatusOfConnect({ connector: { state: 'RUNNING' }, tasks: [task(0, 'UNASSIGNED')] })).toEqual({
      status: 'RWE',
      reason: 'task 0 UNASSIGNED',
    });
  });

  it("gives the connector's own trace as the reason of a FAILED connector", () => {
    expect(
      dfStatusOfConnect({ connector: { state: 'FAILED', trace: 'java.lang.IllegalStateException: boom\n\tat A' } }),
    ).toEqual({
      status: 'FAILED',
      reason: 'java.lang.IllegalStateException: boom',
    });
  });

  it('is NONE when Connect reports no state, or a state it never had before', () => {
    expect(dfStatusOfConnect({}).status).toBe('NONE');
    expect(dfStatusOfConnect({ connector: { state: 'HIBERNATING' } })).toEqual({
      status: 'NONE',
      reason: 'unknown Kafka Connect state HIBERNATING',
    });
  });
});

describe('connectSettled: when an operation stops watching a connector', () => {
  const { connectSettled, SETTLE_GRACE_MS } = jest.requireActual(
    '../../src/domain/connect-settle',
  ) as typeof import('../../src/domain/connect-settle');
  it('stops at the state asked for at once', () => {
    expect(connectSettled({ status: 'RUNNING' }, 'RUNNING', 0)).toBe(true);
  });
  it('gives a just-created or just-restarted connector the grace before an absence or a failure counts', () => {
    expect(connectSettled({ status: 'LOST' }, 'RUNNING', 100)).toBe(false);
    expect(connectSettled({ status: 'RUNNING', taskFailed: true }, 'PAUSED', 100)).toBe(false);
    expect(connectSettled({ status: 'LOST' }, 'RUNNING', SETTLE_GRACE_MS)).toBe(true);
    expect(connectSettled({ status: 'FAILED' }, 'RUNNING', SETTLE_GRACE_MS + 1)).toBe(true);
  });
  it('keeps watching a connector on its way (UNASSIGNED) however long it has been', () => {
    expect(connectSettled({ status: 'UNASSIGNED' }, 'RUNNING', 60_000)).toBe(false);
  });
});

describe('connectAppliedSettled: when an update stops watching a connector it gave a new config', () => {
  const { connectAppliedSettled, SETTLE_GRACE_MS } = jest.requireActual(
    '../../src/domain/connect-settle',
  ) as typeof import('../../src/domain/connect-settle');
  const previous = { 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: '/data/a.txt', topic: 't' };
  const expected = { ...previous, 'tasks.max': '2', file: '/data/b.txt' };
  const running = {
    reading: { status: 'RUNNING' as const },
    statusTasks: 1,
    config: expected,
    taskConfigs: [{ file: '/data/b.txt', topic: 't', 'task.class': 'FileStreamSourceTask' }],
  };

  it('stops once Connect answers with the new config and every task it configured runs with it', () => {
    expect(connectAppliedSettled(running, 'RUNNING', expected, previous, 0)).toBe(true);
  });
  it('keeps watching while Connect still answers with the old config, or refuses to answer while it rebalances', () => {
    expect(connectAppliedSettled({ ...running, config: previous }, 'RUNNING', expected, previous, 60_000)).toBe(false);
    expect(connectAppliedSettled({ ...running, config: undefined }, 'RUNNING', expected, previous, 60_000)).toBe(false);
    expect(connectAppliedSettled({ ...running, taskConfigs: undefined }, 'RUNNING', expected, previous, 60_000)).toBe(
      false,
    );
  });
  it('keeps watching while a task still carries a value the update changed, though its status says RUNNING', () => {
    expect(
      connectAppliedSettled(
        { ...running, taskConfigs: [{ file: '/data/a.txt', topic: 't' }] },
        'RUNNING',
        expected,
        previous,
        60_000,
      ),
    ).toBe(false);
  });
  it('judges tasks only by the keys they share with the connector config', () => {
    expect(
      connectAppliedSettled(
        { ...running, taskConfigs: [{ 'task.class': 'X', partition: '0' }] },
        'RUNNING',
        expected,
        previous,
        0,
      ),
    ).toBe(true);
  });
  it('keeps watching while tasks are not yet configured, restarting, or not all reported', () => {
    expect(
      connectAppliedSettled({ ...running, taskConfigs: [], statusTasks: 0 }, 'RUNNING', expected, previous, 60_000),
    ).toBe(false);
    expect(
      connectAppliedSettled({ ...running, reading: { status: 'RWE' } }, 'RUNNING', expected, previous, 60_000),
    ).toBe(false);
    expect(connectAppliedSettled({ ...running, statusTasks: 2 }, 'RUNNING', expected, previous, 60_000)).toBe(false);
  });
  it('stops at a failed task or a connector gone past the grace, applied or not', () => {
    const failed = { ...running, config: previous, reading: { status: 'RWE' as const, taskFailed: true } };
    expect(connectAppliedSettled(failed, 'RUNNING', expected, previous, 100)).toBe(false);
    expect(connectAppliedSettled(failed, 'RUNNING', expected, previous, SETTLE_GRACE_MS)).toBe(true);
    expect(
      connectAppliedSettled(
        { reading: { status: 'LOST' }, statusTasks: 0 },
        'RUNNING',
        expected,
        previous,
        SETTLE_GRACE_MS,
      ),
    ).toBe(true);
  });
  it('stops a paused or stopped connector at its state once Connect has the new config (its tasks are reconfigured when it runs again)', () => {
    const paused = {
      reading: { status: 'PAUSED' as const },
      statusTasks: 1,
      config: expected,
      taskConfigs: [{ file: '/data/a.txt' }],
    };
    expect(connectAppliedSettled(paused, 'PAUSED', expected, previous, 0)).toBe(true);
    expect(connectAppliedSettled({ ...paused, config: previous }, 'PAUSED', expected, previous, 0)).toBe(false);
    expect(
      connectAppliedSettled(
        { reading: { status: 'STOPPED' }, statusTasks: 0, config: expected, taskConfigs: [] },
        'STOPPED',
        expected,
        previous,
        0,
      ),
    ).toBe(true);
  });
});
