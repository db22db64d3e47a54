import type { HealthTarget } from '../../src/health';
import { createReadinessCheck, readinessAnswer, readinessNeeds } from '../../src/readiness';
import { WorkerStatus } from '../../src/worker-status';

const up: HealthTarget = { target: 'up:1', probe: async () => undefined };
const refused = (target: string): HealthTarget => ({
  target,
  probe: async () => {
    throw new Error(`connection refused: connect ECONNREFUSED ${target}`);
  },
});

describe('what each process kind needs to be ready', () => {
  it('an API process needs Temporal and the store, not the engines', () => {
    expect(readinessNeeds({ api: true, worker: false })).toEqual(['temporal', 'store']);
  });

  it('a worker-only process needs Temporal, the store and its worker polling', () => {
    expect(readinessNeeds({ api: false, worker: true })).toEqual(['temporal', 'store', 'worker']);
  });

  it('a process with both needs what each needs', () => {
    expect(readinessNeeds({ api: true, worker: true })).toEqual(['temporal', 'store', 'worker']);
  });
});

describe('readiness check', () => {
  it('is ready, 200, when every needed dependency answers, however many engines are away', async () => {
    const check = createReadinessCheck(
      { temporal: up, store: up, kafkaConnect: refused('127.0.0.1:8083'), flink: refused('127.0.0.1:8082') },
      readinessNeeds({ api: true, worker: false }),
    );
    const report = await check();
    expect(report).toMatchObject({ status: 'ready' });
    expect(Object.keys(report.dependencies)).toEqual(['temporal', 'store']);
    expect(report.reason).toBeUndefined();
    expect(readinessAnswer(report).status).toBe(200);
  });

  it('is not ready, 503, naming the dependency that is not and why', async () => {
    const check = createReadinessCheck({ temporal: up, store: refused('127.0.0.1:1') }, ['temporal', 'store']);
    const report = await check();
    expect(report).toMatchObject({
      status: 'not-ready',
      reason: 'store: connection refused: connect ECONNREFUSED 127.0.0.1:1',
      dependencies: { temporal: { status: 'up' }, store: { status: 'down', target: '127.0.0.1:1' } },
    });
    expect(readinessAnswer(report).status).toBe(503);
  });

  it('names every dependency that is not ready', async () => {
    const check = createReadinessCheck({ temporal: refused('t:7233'), store: refused('s:27017') }, [
      'temporal',
      'store',
    ]);
    expect((await check()).reason).toBe(
      'temporal: connection refused: connect ECONNREFUSED t:7233; store: connection refused: connect ECONNREFUSED s:27017',
    );
  });

  it('refuses to be built without a probe for a needed dependency', () => {
    expect(() => createReadinessCheck({ temporal: up }, ['temporal', 'store'])).toThrow('no probe for store');
  });
});

describe('worker status, as readiness sees it', () => {
  const probeOf = (status: WorkerStatus) =>
    createReadinessCheck({ worker: { target: 'q', probe: async () => status.assertRunning() } }, ['worker']);

  it('is not ready before the worker starts, and says why while it waits for Temporal', async () => {
    const status = new WorkerStatus();
    expect((await probeOf(status)()).reason).toBe('worker: the worker has not started yet');
    status.waiting('the worker waits for Temporal: connection refused');
    expect((await probeOf(status)()).reason).toBe('worker: the worker waits for Temporal: connection refused');
  });

  it('is ready while the SDK worker runs, and not once it drains or stops', async () => {
    const status = new WorkerStatus();
    let state = 'RUNNING';
    status.polling(() => state);
    expect((await probeOf(status)()).status).toBe('ready');
    state = 'DRAINING';
    expect((await probeOf(status)()).reason).toBe('worker: the worker is draining, not polling');
    status.stopped('the worker has stopped');
    expect((await probeOf(status)()).reason).toBe('worker: the worker has stopped');
  });
});
