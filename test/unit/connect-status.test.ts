import { dfStatusOfConnect } from '../../src/domain/status';

const task = (id: number, state: string, trace?: string) => ({ id, state, worker_id: 'w:8083', ...(trace ? { trace } : {}) });

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
    const trace = 'org.apache.kafka.connect.errors.ConnectException: Unrecoverable exception\n\tat X.y(X.java:1)\nCaused by: org.apache.kafka.common.errors.RecordTooLargeException: too large\n';
    expect(dfStatusOfConnect({ connector: { state: 'RUNNING' }, tasks: [task(0, 'RUNNING'), task(1, 'FAILED', trace)] })).toEqual({
      status: 'RWE',
      reason: 'task 1 FAILED: org.apache.kafka.connect.errors.ConnectException: Unrecoverable exception',
    });
  });

  it('is RWE while a task is still unassigned, without claiming a failure', () => {
    expect(dfStatusOfConnect({ connector: { state: 'RUNNING' }, tasks: [task(0, 'UNASSIGNED')] })).toEqual({ status: 'RWE', reason: 'task 0 UNASSIGNED' });
  });

  it('gives the connector\'s own trace as the reason of a FAILED connector', () => {
    expect(dfStatusOfConnect({ connector: { state: 'FAILED', trace: 'java.lang.IllegalStateException: boom\n\tat A' } })).toEqual({
      status: 'FAILED', reason: 'java.lang.IllegalStateException: boom',
    });
  });

  it('is NONE when Connect reports no state, or a state it never had before', () => {
    expect(dfStatusOfConnect({}).status).toBe('NONE');
    expect(dfStatusOfConnect({ connector: { state: 'HIBERNATING' } })).toEqual({ status: 'NONE', reason: 'unknown Kafka Connect state HIBERNATING' });
  });
});

describe('connectSettled: when an operation stops watching a connector', () => {
  const { connectSettled, SETTLE_GRACE_MS } = jest.requireActual('../../src/domain/connect-settle') as typeof import('../../src/domain/connect-settle');
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
