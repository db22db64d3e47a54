import type { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import {
  ActivityFailure,
  ApplicationFailure,
  DefaultFailureConverter,
  RetryState,
  defaultPayloadConverter,
} from '@temporalio/common';
import type { ActivityExecuteInput } from '@temporalio/worker';
import { DfError, isDfError } from '../../src/domain/errors';
import {
  activityFailure,
  dfErrorOf,
  messageOf,
  payloadOf,
  refusedByRas,
  workflowFailure,
} from '../../src/protocol/failure-codec';
import { activityFailures } from '../../src/temporal/activity-failures';
import { dfErrorFromWorkflow } from '../../src/temporal/failures';

const converter = new DefaultFailureConverter();

/** A failure as the other side of Temporal reads it: encoded, decoded, and wrapped as a failed activity step. */
function acrossTemporal(failure: ApplicationFailure): ActivityFailure {
  const decoded = converter.failureToError(
    converter.errorToFailure(failure, defaultPayloadConverter),
    defaultPayloadConverter,
  );
  const retryState = failure.nonRetryable ? RetryState.NON_RETRYABLE_FAILURE : RetryState.MAXIMUM_ATTEMPTS_REACHED;
  return new ActivityFailure('Activity task failed', 'createConnector', '1', retryState, 'worker', decoded);
}

const rasRefusal = () =>
  new DfError('RAS_CLIENT_ERROR', 'kafka-connect answered 400: Connector configuration is invalid', {
    httpStatus: 400,
    details: { ras: 'kafka-connect', status: 400, rasMessage: 'Connector configuration is invalid' },
  });

const rasFault = () =>
  new DfError('RAS_SERVER_ERROR', 'kafka-connect answered 500: Request timed out', {
    details: { ras: 'kafka-connect', status: 500 },
  });

describe('failure codec: a DfError through Temporal', () => {
  it('types the failure by the code and carries the payload as its first detail', () => {
    const failure = activityFailure(rasRefusal());
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('RAS_CLIENT_ERROR');
    expect(failure.message).toBe('kafka-connect answered 400: Connector configuration is invalid');
    expect(failure.details).toEqual([
      {
        code: 'RAS_CLIENT_ERROR',
        message: 'kafka-connect answered 400: Connector configuration is invalid',
        httpStatus: 400,
        details: { ras: 'kafka-connect', status: 400, rasMessage: 'Connector configuration is invalid' },
      },
    ]);
  });

  it('comes back as the same DfError: code, HTTP status, message and details', () => {
    const sent = rasRefusal();
    const back = dfErrorOf(acrossTemporal(activityFailure(sent)));
    expect(isDfError(back)).toBe(true);
    expect(back).toMatchObject({
      code: sent.code,
      httpStatus: sent.httpStatus,
      message: sent.message,
      details: sent.details,
    });
  });

  it('lets Temporal retry an activity failure only when retrying can help', () => {
    expect(activityFailure(rasRefusal()).nonRetryable).toBe(true);
    expect(activityFailure(rasFault()).nonRetryable).toBe(false);
    expect(activityFailure(new DfError('STORE_ERROR', 'store gone', { retryable: false })).nonRetryable).toBe(true);
  });

  it("makes a workflow's own failure non-retryable, whatever the DfError says", () => {
    const failure = workflowFailure(new DfError('TIMEOUT', 'Flink did not finish the savepoint of job a1'));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.type).toBe('TIMEOUT');
    expect(payloadOf(failure)).toMatchObject({ code: 'TIMEOUT', httpStatus: 504 });
  });

  it('reads a failure without a payload by its type, as an internal error', () => {
    const back = dfErrorOf(acrossTemporal(ApplicationFailure.create({ message: 'boom', type: 'TypeError' })));
    expect(back).toMatchObject({ code: 'TypeError', message: 'boom', httpStatus: 500 });
    expect(dfErrorOf(new Error('not a Temporal failure'))).toBeUndefined();
  });
});

describe('failure codec: what a workflow reads of a failed step', () => {
  it("shows the activity's own message, not Temporal's wrapping", () => {
    expect(messageOf(acrossTemporal(activityFailure(rasFault())))).toBe(
      'kafka-connect answered 500: Request timed out',
    );
    expect(messageOf(new Error('outer', { cause: new Error('inner') }))).toBe('inner');
  });

  it('counts a RAS 4xx as a refusal: the call changed nothing', () => {
    expect(refusedByRas(acrossTemporal(activityFailure(rasRefusal())))).toBe(true);
  });

  it('does not count a 5xx whose retries ran out as a refusal: the call may have done its work', () => {
    expect(refusedByRas(acrossTemporal(activityFailure(rasFault())))).toBe(false);
    const givenUp = new DfError('RAS_SERVER_ERROR', 'kafka-connect answered 500', { retryable: false });
    expect(refusedByRas(acrossTemporal(activityFailure(givenUp)))).toBe(false);
  });
});

describe('failure codec: applied by the worker and the API', () => {
  const execute = activityFailures({} as Context).inbound!.execute!;
  const input: ActivityExecuteInput = { args: [], headers: {} };

  it("turns a DfError any activity throws into the codec's failure", async () => {
    const thrown = await execute(input, () => Promise.reject(rasRefusal())).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ApplicationFailure);
    expect(thrown).toMatchObject({ type: 'RAS_CLIENT_ERROR', nonRetryable: true, details: [{ httpStatus: 400 }] });
  });

  it('leaves any other error and every result as they are', async () => {
    const other = new Error('socket hang up');
    await expect(execute(input, () => Promise.reject(other))).rejects.toBe(other);
    await expect(execute(input, () => Promise.resolve('done'))).resolves.toBe('done');
  });

  it('answers a failed run with the DfError its step raised, anything else as an internal error', () => {
    const failed = new WorkflowFailedError(
      'Workflow execution failed',
      acrossTemporal(activityFailure(rasRefusal())),
      RetryState.NON_RETRYABLE_FAILURE,
    );
    expect(dfErrorFromWorkflow(failed)).toMatchObject({ code: 'RAS_CLIENT_ERROR', httpStatus: 400 });
    const bare = new WorkflowFailedError('Workflow execution failed', undefined, RetryState.NON_RETRYABLE_FAILURE);
    expect(dfErrorFromWorkflow(bare)).toMatchObject({ code: 'INTERNAL', message: 'Workflow execution failed' });
    expect(dfErrorFromWorkflow(rasRefusal())).toBeUndefined();
  });
});

describe('DfError', () => {
  it('is recognised when made by another copy of its module (jest registries, the workflow bundle)', () => {
    let copy: typeof import('../../src/domain/errors') | undefined;
    jest.isolateModules(() => {
      copy = jest.requireActual<typeof import('../../src/domain/errors')>('../../src/domain/errors');
    });
    expect(copy!.DfError).not.toBe(DfError);
    const other = new copy!.DfError('NOT_FOUND', 'task t1 not found');
    expect(isDfError(other)).toBe(true);
    expect(other).toBeInstanceOf(DfError);
    expect(new Error('NOT_FOUND')).not.toBeInstanceOf(DfError);
  });
});
