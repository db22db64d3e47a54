import type { Activities } from '../../activities';
import type { ConnectOffsetsInput, ConnectorOffset } from '../../src/domain/connect-offsets';
import { DfError } from '../../src/domain/errors';
import type { DfStatus, StatusReading } from '../../src/domain/status';
import { runWorkflow } from '../../src/temporal/run';
import { connectOffsets } from '../../workflows/connect-offsets';
import { uniqueName } from '../support/stack';
import { connectTaskOf } from '../support/tasks';
import { useWorkflowTestEnv } from '../support/workflow-env';

const REFUSAL =
  'Kafka Connect refused to alter the offsets of connector c: Failed to alter consumer group offsets for connector c';

const POSITION_6: ConnectorOffset = { partition: { filename: '/data/lines.txt' }, offset: { position: 6 } };

/**
 * The offsets workflow's own logic on a real Temporal dev server with FAKE activities standing in
 * for Kafka Connect: the connector is stopped for the change and put back in the state it was in,
 * whether the change went through or not.
 */
describe('Connect offsets workflow: stop, change, put back; compensation when the change fails', () => {
  const { client, runWith } = useWorkflowTestEnv();

  /**
   * Runs an offsets change against a FAKE connector that starts in `initial`; `change` stands for
   * Kafka Connect's answer. Records every control call, change and recorded state in order.
   */
  function runChange(
    initial: DfStatus,
    input: { change: 'alter'; offsets: ConnectorOffset[] } | { change: 'reset' },
    change: () => Promise<string>,
  ) {
    const id = uniqueName('offs');
    let state: DfStatus = initial;
    const calls: string[] = [];
    const fakes: Partial<Activities> = {
      getConnectTask: async (taskId: string) => connectTaskOf(taskId, { status: initial }),
      readConnectStatus: async () => ({ status: state }),
      controlConnector: async (_name: string, action: string) => {
        calls.push(action);
        state = action === 'stop' ? 'STOPPED' : action === 'pause' ? 'PAUSED' : 'RUNNING';
      },
      awaitConnectStatus: async () => ({ reading: { status: state }, settled: true }),
      recordTaskStatus: async (taskId: string, reading: StatusReading) => {
        calls.push(`recorded ${reading.status}`);
        return connectTaskOf(taskId, { status: reading.status });
      },
      changeConnectorOffsets: async (_name: string, given: ConnectOffsetsInput) => {
        calls.push(`${given.change} while ${state}`);
        return { message: await change() };
      },
      readConnectorOffsets: async () => ({ offsets: [POSITION_6] }),
    };
    const run = runWith(fakes, (taskQueue) =>
      runWorkflow(client(), connectOffsets, {
        taskQueue,
        workflowId: uniqueName('df-connect-offsets'),
        args: [{ id, ...input }],
        waitMs: 30000,
      }),
    );
    return { id, run, calls };
  }

  const refuse = async (): Promise<string> => {
    throw new DfError('CONFLICT', REFUSAL, { retryable: false, details: { rasMessage: 'Failed to alter …' } });
  };

  it('stops a running connector, alters its offsets while stopped, and resumes it', async () => {
    const { id, run, calls } = runChange('RUNNING', { change: 'alter', offsets: [POSITION_6] }, async () => 'altered');
    expect(await run).toMatchObject({
      state: 'completed',
      result: { id, change: 'alter', message: 'altered', offsets: [POSITION_6], status: 'RUNNING' },
    });
    expect(calls).toEqual(['stop', 'recorded STOPPED', 'alter while STOPPED', 'resume', 'recorded RUNNING']);
  });

  it("resumes the connector when Kafka Connect refuses the change after the stop, failing with Connect's message", async () => {
    const { run, calls } = runChange('RUNNING', { change: 'alter', offsets: [POSITION_6] }, refuse);
    await expect(run).rejects.toMatchObject({ code: 'CONFLICT', httpStatus: 409, message: REFUSAL });
    expect(calls).toEqual(['stop', 'recorded STOPPED', 'alter while STOPPED', 'resume', 'recorded RUNNING']);
  });

  it('pauses a paused connector again after a failed reset', async () => {
    const { run, calls } = runChange('PAUSED', { change: 'reset' }, refuse);
    await expect(run).rejects.toMatchObject({ code: 'CONFLICT', message: REFUSAL });
    expect(calls).toEqual(['stop', 'recorded STOPPED', 'reset while STOPPED', 'pause', 'recorded PAUSED']);
  });

  it('leaves a stopped connector stopped after a reset', async () => {
    const { run, calls } = runChange('STOPPED', { change: 'reset' }, async () => 'reset');
    expect(await run).toMatchObject({
      state: 'completed',
      result: { change: 'reset', message: 'reset', status: 'STOPPED' },
    });
    expect(calls).toEqual(['stop', 'recorded STOPPED', 'reset while STOPPED', 'recorded STOPPED']);
  });
});
