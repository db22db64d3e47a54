import { dfStatusOfFlinkSummary, FlinkJobSummary } from '../../src/domain/flink-status';
import { configDifferences, driftReport, importedTask } from '../../src/domain/drift';
import { durationMs } from '../../src/domain/duration';
import { processingHistory } from '../../src/domain/metadata';
import type { ConnectStatusReport } from '../../src/domain/status';
import { withStatusPatch } from '../../src/domain/status-patch';
import { EngineViews, planStatusSync, SyncedTask, UNREACHABLE } from '../../src/domain/status-sync';
import type { Task } from '../../src/domain/task';

const NOW = 1_000_000_000;
const GRACE = 30_000;
const settings = { now: NOW, graceMs: GRACE };

function connectTask(overrides: Partial<SyncedTask> = {}): SyncedTask {
  return {
    id: 'c1',
    category: 'CONNECT',
    connectUid: 'c1',
    status: 'RUNNING',
    statusAt: NOW - 600_000,
    updatedAt: NOW - 600_000,
    ...overrides,
  };
}

function transformTask(overrides: Partial<SyncedTask> = {}): SyncedTask {
  return {
    id: 't1',
    category: 'TRANSFORM',
    connectUid: 't1',
    status: 'RUNNING',
    statusAt: NOW - 600_000,
    updatedAt: NOW - 600_000,
    jobId: 'j1',
    ...overrides,
  };
}

const running: ConnectStatusReport = { connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] };
const connectView = (reports: Record<string, ConnectStatusReport>): EngineViews => ({
  connect: { reachable: true, items: new Map(Object.entries(reports)) },
});
const flinkView = (jobs: FlinkJobSummary[]): EngineViews => ({
  flink: { reachable: true, items: new Map(jobs.map((j) => [j.jid, j])) },
});

describe('status sync rules', () => {
  it('writes nothing when the engine agrees with the repository', () => {
    expect(planStatusSync([connectTask()], connectView({ c1: running }), settings)).toEqual({
      changes: [],
      restartsDue: [],
    });
  });

  it('records a paused connector as PAUSED, only if the task still has the status the round read, with a history entry', () => {
    const plan = planStatusSync(
      [connectTask()],
      connectView({ c1: { connector: { state: 'PAUSED' }, tasks: [{ id: 0, state: 'PAUSED' }] } }),
      settings,
    );
    expect(plan.changes).toEqual([
      {
        id: 'c1',
        expect: { status: 'RUNNING', statusAt: NOW - 600_000 },
        set: { status: 'PAUSED', statusReason: null, statusAt: NOW },
        history: [{ taskId: 'c1', from: 'RUNNING', to: 'PAUSED', at: NOW, event: 'status' }],
      },
    ]);
  });

  it('marks a connector gone from Kafka Connect LOST', () => {
    const [change] = planStatusSync([connectTask()], connectView({}), settings).changes;
    expect(change.set).toMatchObject({ status: 'LOST', statusReason: 'Kafka Connect has no connector by this name' });
  });

  it('spares a task an operation is still creating (UNASSIGNED, written within the grace) from LOST', () => {
    const creating = connectTask({ status: 'UNASSIGNED', statusAt: NOW - 1000, updatedAt: NOW - 1000 });
    expect(planStatusSync([creating], connectView({}), settings).changes).toEqual([]);
    const justSeenRunning = connectTask({ statusAt: NOW - 1000, updatedAt: NOW - 1000 });
    expect(planStatusSync([justSeenRunning], connectView({}), settings).changes[0].set.status).toBe('LOST');
  });

  it('calls a running connector with a failed task RWE, naming the task', () => {
    const [change] = planStatusSync(
      [connectTask()],
      connectView({
        c1: {
          connector: { state: 'RUNNING' },
          tasks: [{ id: 0, state: 'FAILED', trace: 'java.lang.Boom: no\n\tat x' }],
        },
      }),
      settings,
    ).changes;
    expect(change.set).toMatchObject({ status: 'RWE', statusReason: 'task 0 FAILED: java.lang.Boom: no' });
  });

  it('replaces the reason when the status stays but the engine gives another one, and only the reason', () => {
    const rwe = connectTask({ status: 'RWE', statusReason: 'task 0 FAILED' });
    const otherTask = connectView({
      c1: {
        connector: { state: 'RUNNING' },
        tasks: [
          { id: 0, state: 'RUNNING' },
          { id: 1, state: 'FAILED' },
        ],
      },
    });
    const [change] = planStatusSync([rwe], otherTask, settings).changes;
    expect(change.set).toEqual({ statusReason: 'task 1 FAILED' });
    expect(change.history).toEqual([]);
  });

  it('keeps the last status when the engine is unreachable, saying so once with the time', () => {
    const views: EngineViews = { connect: { reachable: false, error: 'ECONNREFUSED' } };
    const [change] = planStatusSync([connectTask()], views, settings).changes;
    expect(change.set).toEqual({ statusReason: UNREACHABLE, unreachableSince: NOW });
    expect(change.history[0]).toMatchObject({
      from: 'RUNNING',
      to: 'RUNNING',
      event: 'unreachable',
      reason: 'ECONNREFUSED',
    });
    const already = connectTask({ statusReason: UNREACHABLE, unreachableSince: NOW - 10_000 });
    expect(planStatusSync([already], views, settings).changes).toEqual([]);
  });

  it('clears "unreachable" when the engine answers again', () => {
    const task = connectTask({ statusReason: UNREACHABLE, unreachableSince: NOW - 10_000 });
    const [change] = planStatusSync([task], connectView({ c1: running }), settings).changes;
    expect(change.set).toEqual({ unreachableSince: null, statusReason: null });
    expect(change.history[0]).toMatchObject({ event: 'reachable', to: 'RUNNING' });
  });

  it('clears "unreachable" even when the first answer is a flip still within the grace', () => {
    const task = connectTask({
      statusReason: UNREACHABLE,
      unreachableSince: NOW - 10_000,
      pending: { status: 'UNASSIGNED', since: NOW - 1000 },
    });
    const [change] = planStatusSync(
      [task],
      connectView({ c1: { connector: { state: 'UNASSIGNED' }, tasks: [] } }),
      settings,
    ).changes;
    expect(change.set).toEqual({ unreachableSince: null, statusReason: null });
    expect(change.history).toEqual([expect.objectContaining({ event: 'reachable', from: 'RUNNING', to: 'RUNNING' })]);
  });

  it('records the return when the first answer is a connector Connect has not assigned yet', () => {
    const task = connectTask({ statusReason: UNREACHABLE, unreachableSince: NOW - 10_000 });
    const [change] = planStatusSync(
      [task],
      connectView({ c1: { connector: { state: 'UNASSIGNED' }, tasks: [] } }),
      settings,
    ).changes;
    expect(change.set).toEqual({
      unreachableSince: null,
      statusReason: null,
      pending: { status: 'UNASSIGNED', since: NOW },
    });
    expect(change.history).toEqual([expect.objectContaining({ event: 'reachable', to: 'RUNNING' })]);
  });

  it('records the return, then the change, when the status moved while the engine was away', () => {
    const task = connectTask({ statusReason: UNREACHABLE, unreachableSince: NOW - 10_000 });
    const paused: ConnectStatusReport = { connector: { state: 'PAUSED' }, tasks: [{ id: 0, state: 'PAUSED' }] };
    const [change] = planStatusSync([task], connectView({ c1: paused }), settings).changes;
    expect(change.set).toMatchObject({ unreachableSince: null, status: 'PAUSED' });
    expect(change.history.map((h) => [h.event, h.to])).toEqual([
      ['reachable', 'RUNNING'],
      ['status', 'PAUSED'],
    ]);
  });

  it('does not record a RUNNING → UNASSIGNED flip shorter than the grace (a rebalance)', () => {
    const unassigned = connectView({ c1: { connector: { state: 'UNASSIGNED' }, tasks: [] } });
    const [first] = planStatusSync([connectTask()], unassigned, settings).changes;
    expect(first.set).toEqual({ pending: { status: 'UNASSIGNED', since: NOW } });
    expect(first.history).toEqual([]);
    const seen = connectTask({ pending: { status: 'UNASSIGNED', since: NOW - 5000 } });
    expect(planStatusSync([seen], unassigned, settings).changes).toEqual([]);
    const [back] = planStatusSync([seen], connectView({ c1: running }), settings).changes;
    expect(back.set).toEqual({ pending: null });
    const outlasted = connectTask({ pending: { status: 'UNASSIGNED', since: NOW - GRACE } });
    const [recorded] = planStatusSync([outlasted], unassigned, settings).changes;
    expect(recorded.set).toMatchObject({ status: 'UNASSIGNED', pending: null });
  });

  it('maps a cancelled Flink job to CANCELED and a transform whose job Flink forgot to LOST, unless it had ended', () => {
    const [cancelled] = planStatusSync(
      [transformTask()],
      flinkView([{ jid: 'j1', name: 'x', state: 'CANCELED' }]),
      settings,
    ).changes;
    expect(cancelled.set).toMatchObject({ status: 'CANCELED' });
    const [lost] = planStatusSync([transformTask()], flinkView([]), settings).changes;
    expect(lost.set).toMatchObject({ status: 'LOST' });
    expect(
      planStatusSync([transformTask({ status: 'FINISHED', statusReason: '12 rows at /r' })], flinkView([]), settings)
        .changes,
    ).toEqual([]);
  });

  it("keeps an operation's reason when the overview says the same status without one", () => {
    const finished = transformTask({ status: 'FINISHED', statusReason: '12 rows at /r' });
    expect(
      planStatusSync([finished], flinkView([{ jid: 'j1', name: 'x', state: 'FINISHED' }]), settings).changes,
    ).toEqual([]);
  });

  it('reads Flink overview task counts like job vertices', () => {
    expect(dfStatusOfFlinkSummary({ jid: 'j', name: 'n', state: 'RUNNING', tasks: { total: 2, running: 2 } })).toEqual({
      status: 'RUNNING',
    });
    expect(
      dfStatusOfFlinkSummary({ jid: 'j', name: 'n', state: 'RUNNING', tasks: { total: 2, running: 1, deploying: 1 } })
        .status,
    ).toBe('UNASSIGNED');
    expect(
      dfStatusOfFlinkSummary({ jid: 'j', name: 'n', state: 'RUNNING', tasks: { total: 2, running: 1, failed: 1 } })
        .status,
    ).toBe('RWE');
    expect(dfStatusOfFlinkSummary({ jid: 'j', name: 'n', state: 'FAILED' })).toEqual({ status: 'FAILED' });
    expect(dfStatusOfFlinkSummary({ jid: 'j', name: 'n', state: 'SUSPENDED' }).status).toBe('RESTARTING');
  });
});

describe('a round carrying its snapshot to the next', () => {
  it('sees each task as the store holds it after the round wrote its change', () => {
    const unreachable = planStatusSync(
      [connectTask()],
      { connect: { reachable: false, error: 'ECONNREFUSED' } },
      settings,
    ).changes[0];
    const marked = withStatusPatch(connectTask(), unreachable.set);
    expect(marked).toMatchObject({ status: 'RUNNING', statusReason: UNREACHABLE, unreachableSince: NOW });
    // Back: the next round's change clears the mark, and the carried task with it.
    const back = planStatusSync([marked], connectView({ c1: running }), { ...settings, now: NOW + 5000 }).changes[0];
    const cleared = withStatusPatch(marked, back.set);
    expect(cleared.statusReason).toBeUndefined();
    expect(cleared.unreachableSince).toBeUndefined();
    // A second round over the carried tasks finds nothing more to write.
    expect(planStatusSync([cleared], connectView({ c1: running }), { ...settings, now: NOW + 10_000 }).changes).toEqual(
      [],
    );
  });
});

describe('auto-restart rules', () => {
  const policy = { enabled: true, maxRestarts: 2, backoff: '10s' };
  const failedTask = { connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'FAILED' }] };
  const rwe = (overrides: Partial<SyncedTask>) =>
    connectTask({ status: 'RWE', statusReason: 'task 0 FAILED', autoRestart: policy, ...overrides });

  it('restarts a failed task after the backoff since the failure, then waits twice as long', () => {
    expect(
      planStatusSync([rwe({ statusAt: NOW - 9_000 })], connectView({ c1: failedTask }), settings).restartsDue,
    ).toEqual([]);
    expect(
      planStatusSync([rwe({ statusAt: NOW - 10_000 })], connectView({ c1: failedTask }), settings).restartsDue,
    ).toEqual([{ id: 'c1', category: 'CONNECT', connectUid: 'c1', attempt: 1, maxRestarts: 2 }]);
    const once = { attempts: 1, lastAttemptAt: new Date(NOW - 19_000).toISOString() };
    expect(planStatusSync([rwe({ restarts: once })], connectView({ c1: failedTask }), settings).restartsDue).toEqual(
      [],
    );
    const later = { attempts: 1, lastAttemptAt: new Date(NOW - 20_000).toISOString() };
    expect(
      planStatusSync([rwe({ restarts: later })], connectView({ c1: failedTask }), settings).restartsDue[0].attempt,
    ).toBe(2);
  });

  it('gives up when the failure outlives the last attempt, and says so in the reason and the history', () => {
    const spent = { attempts: 2, lastAttemptAt: new Date(NOW - 10_000).toISOString() };
    const plan = planStatusSync([rwe({ restarts: spent })], connectView({ c1: failedTask }), settings);
    expect(plan.restartsDue).toEqual([]);
    expect(plan.changes[0].set).toMatchObject({
      restarts: { ...spent, gaveUp: true },
      statusReason: 'auto-restart gave up after 2 attempts: task 0 FAILED',
    });
    expect(plan.changes[0].history[0]).toMatchObject({ event: 'gave-up' });
    const gaveUp = rwe({
      restarts: { ...spent, gaveUp: true },
      statusReason: 'auto-restart gave up after 2 attempts: task 0 FAILED',
    });
    expect(planStatusSync([gaveUp], connectView({ c1: failedTask }), settings)).toEqual({
      changes: [],
      restartsDue: [],
    });
  });

  it('never restarts without an enabled policy', () => {
    expect(
      planStatusSync(
        [rwe({ autoRestart: { ...policy, enabled: false }, statusAt: 0 })],
        connectView({ c1: failedTask }),
        settings,
      ).restartsDue,
    ).toEqual([]);
    expect(
      planStatusSync([rwe({ autoRestart: undefined, statusAt: 0 })], connectView({ c1: failedTask }), settings)
        .restartsDue,
    ).toEqual([]);
  });

  it('starts a fresh count once the task has run steadily for the longest backoff', () => {
    const ran = connectTask({
      autoRestart: policy,
      restarts: { attempts: 2, lastAttemptAt: new Date(NOW - 20_000).toISOString() },
    });
    expect(planStatusSync([ran], connectView({ c1: running }), settings).changes[0].set).toEqual({
      restarts: { attempts: 0 },
    });
  });

  it('restarts a failed Flink job (as a transform restart)', () => {
    const failed = transformTask({ status: 'FAILED', autoRestart: policy, statusAt: NOW - 60_000 });
    expect(
      planStatusSync([failed], flinkView([{ jid: 'j1', name: 'x', state: 'FAILED' }]), settings).restartsDue,
    ).toEqual([{ id: 't1', category: 'TRANSFORM', connectUid: 't1', jobId: 'j1', attempt: 1, maxRestarts: 2 }]);
  });
});

describe('startup sync: import and drift', () => {
  it('imports a connector DF does not know as an imported CONNECT task with its live status; the metadata sink as INTERNAL', () => {
    const live = {
      name: 'ext',
      type: 'source',
      config: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', name: 'ext' },
      status: running,
    };
    expect(importedTask(live, 'metadata_sink_connect')).toMatchObject({
      id: 'ext',
      connectUid: 'ext',
      connectorCategory: 'CONNECT',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      status: 'RUNNING',
      imported: true,
    });
    expect(importedTask({ ...live, name: 'metadata_sink_connect' }, 'metadata_sink_connect')).toMatchObject({
      connectorCategory: 'INTERNAL',
      connectorType: 'INTERNAL_METADATA_COLLECT',
    });
    expect(importedTask({ ...live, name: 'has space' }, 'm').id).toBe('imported-has-space');
  });

  it('reports config drift key by key and tasks whose connector is gone', () => {
    expect(configDifferences({ a: '1', b: '2', name: 'x' }, { a: '1', b: '3', c: '4', name: 'y' })).toEqual([
      { key: 'b', repository: '2', live: '3' },
      { key: 'c', live: '4' },
    ]);
    const task = (id: string, config: Record<string, string>) =>
      ({ id, connectUid: id, status: 'RUNNING', connectorConfig: config }) as Task;
    const report = driftReport(
      [{ name: 'a', config: { k: 'v2' } }],
      [task('a', { k: 'v1' }), task('gone', {})],
      [],
      'now',
    );
    expect(report.configDrift).toEqual([
      { id: 'a', connectUid: 'a', imported: false, differences: [{ key: 'k', repository: 'v1', live: 'v2' }] },
    ]);
    expect(report.missingInConnect).toEqual([{ id: 'gone', connectUid: 'gone', status: 'RUNNING' }]);
  });
});

describe('processing history (/hist)', () => {
  it('sums up Start and End records per task and file: times, duration, latest status', () => {
    const rows = processingHistory([
      { cuid: 't', file_name: 'a.json', file_size: 10, current_timemillis: 1000, status: 'Start', topic_sent: 'top' },
      { cuid: 't', file_name: 'a.json', file_size: 10, current_timemillis: 1500, status: 'End' },
      { cuid: 't', file_name: 'b.json', current_timemillis: '2000', status: 'Start' },
      { file_name: 'no-cuid' },
    ]);
    expect(rows).toEqual([
      {
        id: 'ta.json',
        cuid: 't',
        file_name: 'a.json',
        file_size: 10,
        topic_sent: 'top',
        start_time: 1000,
        end_time: 1500,
        process_milliseconds: 500,
        status: 'End',
        records: 2,
      },
      { id: 'tb.json', cuid: 't', file_name: 'b.json', start_time: 2000, end_time: 2000, status: 'Start', records: 1 },
    ]);
  });
});

describe('durations', () => {
  it('reads ms, s, m, h and bare seconds', () => {
    expect([
      durationMs('500ms'),
      durationMs('10s'),
      durationMs('2m'),
      durationMs('1h'),
      durationMs('30'),
      durationMs(1.5),
      durationMs('soon'),
    ]).toEqual([500, 10_000, 120_000, 3_600_000, 30_000, 1500, undefined]);
  });
});
