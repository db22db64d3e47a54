import { createConnectOffsetActivities } from '../../activities/connect-offsets';
import { restoringAction } from '../../src/domain/connect-offsets';
import { parseConnectOffsetsInput, parseOffsetsAlter } from '../../src/domain/connect-offsets-input';
import { parseConnectTaskRestart } from '../../src/domain/connect-task-restart';
import { DfError, isDfError } from '../../src/domain/errors';
import type { KafkaConnectClient } from '../../src/ras/kafka-connect';

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (isDfError(error)) return Object.keys((error.details as { fields: Record<string, string[]> }).fields);
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Kafka Connect's answer to an offsets change as the RAS client reports it. */
function connectAnswer(status: number, rasMessage: string): DfError {
  const code = status >= 500 ? 'RAS_SERVER_ERROR' : 'RAS_CLIENT_ERROR';
  return new DfError(code, `kafka-connect answered ${status} to PATCH /connectors/c/offsets: ${rasMessage}`, {
    ...(status < 500 ? { httpStatus: status === 409 ? 409 : 400, retryable: false } : {}),
    details: { ras: 'kafka-connect', method: 'PATCH', url: '/connectors/c/offsets', status, rasMessage },
  });
}

/**
 * An alter through the offsets activities over a FAKE Kafka Connect that gives these answers in
 * turn (a DfError is a failure), waiting no time between attempts; with the calls it got.
 */
async function alterAnswering(...answers: (DfError | string)[]): Promise<{ outcome: DfError | string; calls: number }> {
  let calls = 0;
  const fakeConnect = {
    alterOffsets: async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer instanceof DfError) throw answer;
      return { message: answer };
    },
  } as unknown as KafkaConnectClient;
  const { changeConnectorOffsets } = createConnectOffsetActivities({ kafkaConnect: fakeConnect }, [0, 0, 0]);
  const offsets = [{ partition: { filename: '/f' }, offset: { position: 1 } }];
  const outcome = await changeConnectorOffsets('c', { id: 'c', change: 'alter', offsets }).then(
    (done) => done.message,
    (error: DfError) => error,
  );
  return { outcome, calls };
}

async function alterFailingWith(failure: DfError): Promise<DfError> {
  const { outcome } = await alterAnswering(failure);
  if (typeof outcome === 'string') throw new Error('expected the change to fail');
  return outcome;
}

const SINK_BUSY =
  "Failed to alter consumer group offsets for connector c either because its tasks haven't stopped completely yet or the connector was resumed before the request to alter its offsets could be successfully completed. If the connector is in a stopped state, this operation can be safely retried.";

describe('Connector offsets: what a change takes', () => {
  it("takes Kafka Connect's own shape: partitions with an offset, or null to reset one", () => {
    const offsets = [
      { partition: { filename: '/data/a.txt' }, offset: { position: 6 } },
      { partition: { kafka_topic: 't', kafka_partition: 0 }, offset: null },
    ];
    expect(parseOffsetsAlter('c', { offsets })).toEqual({ id: 'c', change: 'alter', offsets });
  });

  it('names each field that is not an offset: nested values, no partition, an empty list, stray keys', () => {
    expect(
      fieldsOf(() => parseOffsetsAlter('c', { offsets: [{ partition: { f: 'a' }, offset: { p: { at: 1 } } }] })),
    ).toEqual(['offsets.0.offset.p']);
    expect(fieldsOf(() => parseOffsetsAlter('c', { offsets: [{ offset: { p: 1 } }] }))).toEqual([
      'offsets.0.partition',
    ]);
    expect(fieldsOf(() => parseOffsetsAlter('c', { offsets: [{ partition: {}, offset: null }] }))).toEqual([
      'offsets.0.partition',
    ]);
    expect(fieldsOf(() => parseOffsetsAlter('c', { offsets: [] }))).toEqual(['offsets']);
    const one = { partition: { f: 'a' }, offset: null };
    expect(fieldsOf(() => parseOffsetsAlter('c', { offsets: [one], extra: 1 }))).toEqual(['(body)']);
  });

  it('checks a change started without the API as the API does', () => {
    expect(parseConnectOffsetsInput({ id: 'c', change: 'reset' })).toEqual({ id: 'c', change: 'reset' });
    expect(fieldsOf(() => parseConnectOffsetsInput({ id: 'c', change: 'rewind' }))).toEqual(['change']);
  });

  it('puts a connector back as it was: running and failed resumed, paused paused, stopped left stopped', () => {
    expect(restoringAction('RUNNING')).toEqual({ action: 'resume', target: 'RUNNING' });
    expect(restoringAction('FAILED')).toEqual({ action: 'resume', target: 'RUNNING' });
    expect(restoringAction('PAUSED')).toEqual({ action: 'pause', target: 'PAUSED' });
    expect(restoringAction('STOPPED')).toEqual({ action: undefined, target: 'STOPPED' });
  });
});

describe("Connector offsets: Kafka Connect's refusals", () => {
  it.each([
    [400, 'The value for the position key in the offset should be a non-negative value'],
    [409, 'Connector c does not support offset changes'],
    [500, 'Failed to alter offsets for connector c: the connector threw an exception'],
  ])("answers a %i refusal as a 409 conflict with Connect's words, not retried", async (status, rasMessage) => {
    const error = await alterFailingWith(connectAnswer(status, rasMessage));
    expect(error).toMatchObject({
      code: 'CONFLICT',
      httpStatus: 409,
      retryable: false,
      message: `Kafka Connect refused to alter the offsets of connector c: ${rasMessage}`,
      details: { id: 'c', change: 'alter', status, rasMessage },
    });
  });

  it("waits for a sink's stopped tasks to leave its consumer group, then goes through", async () => {
    const busy = connectAnswer(500, SINK_BUSY);
    expect(await alterAnswering(busy, busy, 'altered')).toEqual({ outcome: 'altered', calls: 3 });
  });

  it("answers a sink's consumer group that stays busy with 409 and Connect's words", async () => {
    const { outcome, calls } = await alterAnswering(connectAnswer(500, SINK_BUSY));
    expect(outcome).toMatchObject({ code: 'CONFLICT', httpStatus: 409, retryable: false });
    expect(calls).toBe(4);
  });

  it('retries a refusal that passes: the stop not yet seen by the worker that answers, a request timeout', async () => {
    const notStopped = await alterFailingWith(
      connectAnswer(400, 'Connectors must be in the STOPPED state before their offsets can be modified'),
    );
    expect(notStopped).toMatchObject({ code: 'RAS_CLIENT_ERROR', retryable: true });
    expect((await alterFailingWith(connectAnswer(500, 'Request timed out'))).retryable).toBe(true);
  });

  it('leaves a rebalance, a worker behind a config change and an unreachable Connect to the retries', async () => {
    expect(await alterFailingWith(connectAnswer(409, 'Cannot complete request because of a rebalance'))).toMatchObject({
      code: 'RAS_CLIENT_ERROR',
    });
    const stale = connectAnswer(
      409,
      'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)',
    );
    expect(await alterFailingWith(stale)).toBe(stale);
    const away = new DfError('RAS_UNREACHABLE', 'kafka-connect unreachable', { details: { ras: 'kafka-connect' } });
    expect(await alterFailingWith(away)).toBe(away);
  });
});

describe('Task restarts: the task number', () => {
  it("takes Kafka Connect's task numbers from 0", () => {
    expect(parseConnectTaskRestart('c', '0')).toEqual({ id: 'c', task: 0 });
    expect(parseConnectTaskRestart('c', '12')).toEqual({ id: 'c', task: 12 });
  });

  it('refuses anything else naming the task, so no other task is restarted by a loose reading', () => {
    for (const raw of ['first', '-1', '01', '1e2', '1.5', '100000']) {
      expect(fieldsOf(() => parseConnectTaskRestart('c', raw))).toEqual(['task']);
    }
  });
});
