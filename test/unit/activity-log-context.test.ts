import { defaultPayloadConverter } from '@temporalio/common';
import { TASK_ID_HEADER } from '../../src/protocol/task-header';
import { taskIdOfArgs, taskIdOfHeaders } from '../../src/temporal/activity-log-context';

describe("The task an activity's log lines name", () => {
  it("is the scheduling run's task, from the activity's header, whatever the arguments are", () => {
    const headers = { [TASK_ID_HEADER]: defaultPayloadConverter.toPayload('orders') };
    expect(taskIdOfHeaders(headers)).toBe('orders');
  });

  it('is none from a header that is absent, empty or not a string', () => {
    expect(taskIdOfHeaders({})).toBeUndefined();
    expect(taskIdOfHeaders({ [TASK_ID_HEADER]: defaultPayloadConverter.toPayload('') })).toBeUndefined();
    expect(taskIdOfHeaders({ [TASK_ID_HEADER]: defaultPayloadConverter.toPayload(42) })).toBeUndefined();
    expect(
      taskIdOfHeaders({
        [TASK_ID_HEADER]: {
          metadata: { encoding: new TextEncoder().encode('binary/encrypted') },
          data: new Uint8Array([1]),
        },
      }),
    ).toBeUndefined();
  });

  it('falls back, without a header, to the first argument or the id inside it', () => {
    expect(taskIdOfArgs(['orders', 'x'])).toBe('orders');
    expect(taskIdOfArgs([{ id: 'orders' }])).toBe('orders');
    expect(taskIdOfArgs([{ taskId: 'orders' }])).toBe('orders');
    expect(taskIdOfArgs([42])).toBeUndefined();
  });
});
