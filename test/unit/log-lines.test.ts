import {
  LogLineQueue,
  logLineDocOf,
  logRowOf,
  MAX_FIELDS_CHARS,
  MAX_MESSAGE_CHARS,
  oldestKept,
  isReadActivity,
  type LogProcess,
} from '../../src/domain/log-lines';

const worker: LogProcess = { role: 'worker', host: 'node-1', pid: 42 };
const both: LogProcess = { role: 'api+worker', host: 'node-1', pid: 42 };
const line = (fields: Record<string, unknown>) => ({
  level: 'info',
  time: '2026-12-06T10:00:00.000Z',
  msg: 'activity completed',
  ...fields,
});

describe('Which log lines the store keeps, and what a kept line holds', () => {
  it('keeps a line that names a task, with the original row fields (timestamp, level, message, method) and the process', () => {
    const doc = logLineDocOf(
      line({ taskId: 'orders', activity: 'createConnector', workflowId: 'wf', runId: 'run', attempt: 1, ms: 12 }),
      worker,
    );
    expect(doc).toEqual({
      taskId: 'orders',
      level: 'INFO',
      levelValue: 30,
      at: new Date('2026-12-06T10:00:00.000Z'),
      message: 'activity completed',
      process: 'worker@node-1',
      pid: 42,
      method: 'createConnector',
      workflowId: 'wf',
      runId: 'run',
      fields: { attempt: 1, ms: 12 },
    });
    expect(logRowOf({ ...doc!, id: '65a1' })).toEqual({
      id: '65a1',
      timestamp: '2026-12-06T10:00:00.000Z',
      level: 'INFO',
      taskId: 'orders',
      message: 'activity completed',
      process: 'worker@node-1',
      pid: 42,
      method: 'createConnector',
      workflowId: 'wf',
      runId: 'run',
      fields: { attempt: 1, ms: 12 },
    });
  });

  it('keeps warnings and errors, spelled as the original did', () => {
    expect(logLineDocOf(line({ taskId: 't', level: 'warn' }), worker)).toMatchObject({ level: 'WARN', levelValue: 40 });
    expect(logLineDocOf(line({ taskId: 't', level: 'error' }), worker)).toMatchObject({
      level: 'ERROR',
      levelValue: 50,
    });
  });

  it('keeps nothing of a line that names no task, or is below info', () => {
    expect(logLineDocOf(line({}), worker)).toBeUndefined();
    expect(logLineDocOf(line({ taskId: '' }), worker)).toBeUndefined();
    expect(logLineDocOf(line({ taskId: 't', level: 'debug' }), worker)).toBeUndefined();
  });

  it('keeps nothing of a read that went well, but keeps changes and refused reads', () => {
    const request = (method: string, status: number) =>
      line({ taskId: 't', requestId: 'r1', msg: 'request', method, path: '/api/df/ps/t', status });
    expect(logLineDocOf(request('GET', 200), both)).toBeUndefined();
    expect(logLineDocOf(request('HEAD', 200), both)).toBeUndefined();
    expect(logLineDocOf(request('GET', 404), both)).toMatchObject({ method: 'GET /api/df/ps/t' });
    expect(logLineDocOf(request('PUT', 200), both)).toMatchObject({ method: 'PUT /api/df/ps/t', requestId: 'r1' });
  });

  it('names the part of a process running both that wrote the line: the API by its request, the worker by its activity', () => {
    expect(logLineDocOf(line({ taskId: 't', requestId: 'r1' }), both)?.process).toBe('api@node-1');
    expect(logLineDocOf(line({ taskId: 't', activity: 'a' }), both)?.process).toBe('worker@node-1');
    expect(logLineDocOf(line({ taskId: 't' }), both)?.process).toBe('api+worker@node-1');
  });

  it('caps a long message and leaves out fields too large to keep, saying so', () => {
    const doc = logLineDocOf(
      line({ taskId: 't', msg: 'x'.repeat(MAX_MESSAGE_CHARS + 10), trace: 'y'.repeat(MAX_FIELDS_CHARS) }),
      worker,
    );
    expect(doc?.message).toHaveLength(MAX_MESSAGE_CHARS + 1);
    expect(doc?.message.endsWith('…')).toBe(true);
    expect(doc?.fields).toEqual({ omitted: expect.stringMatching(/more than 4000/) });
  });

  it('takes the time the line was written, or now when the line has none readable', () => {
    const before = Date.now();
    const doc = logLineDocOf(line({ taskId: 't', time: 'not a time' }), worker);
    expect(doc!.at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('keeps lines no older than the age bound', () => {
    expect(oldestKept(new Date('2026-12-06T10:00:00Z'), 60_000)).toEqual(new Date('2026-12-06T09:59:00Z'));
  });
});

describe('The queue lines wait in before they are written', () => {
  it('holds at most its capacity: a line offered to a full queue is dropped and counted', () => {
    const queue = new LogLineQueue<number>(3);
    expect([1, 2, 3, 4, 5].map((n) => queue.offer(n))).toEqual([true, true, true, false, false]);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(2);
  });

  it('gives the oldest lines first, in batches', () => {
    const queue = new LogLineQueue<number>(10);
    [1, 2, 3, 4, 5].forEach((n) => queue.offer(n));
    expect(queue.take(2)).toEqual([1, 2]);
    expect(queue.take(10)).toEqual([3, 4, 5]);
    expect(queue.size).toBe(0);
  });

  it('counts lines lost after they left it, and reports each drop once', () => {
    const queue = new LogLineQueue<number>(1);
    queue.offer(1);
    queue.offer(2);
    queue.drop(5);
    expect(queue.takeDroppedSinceReport()).toBe(6);
    expect(queue.takeDroppedSinceReport()).toBe(0);
    expect(queue.dropped).toBe(6);
  });
});

describe("Which activities' completion is a step of the task", () => {
  it.each(['prepareTransformAdd', 'insertConnectTask', 'createConnector', 'recordTaskStatus', 'countResultRows'])(
    '%s is a step',
    (name) => expect(isReadActivity(name)).toBe(false),
  );
  it.each([
    'readTransformJob',
    'readDelivery',
    'getTransformTask',
    'findUploadedJar',
    'savepointProgress',
    'topicRecordCount',
  ])('%s only reads', (name) => expect(isReadActivity(name)).toBe(true));
});
