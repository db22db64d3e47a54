import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { WORKFLOW_INTERCEPTORS_PATH, WORKFLOWS_PATH } from '../../src/temporal/worker';

const HISTORIES = path.resolve(__dirname, '../fixtures/histories');

/** Every recorded history, by the code it was recorded with (a folder) and the operation (a file). */
function recordedHistories(): [string, string][] {
  return fs.readdirSync(HISTORIES).flatMap((recordedWith) =>
    fs
      .readdirSync(path.join(HISTORIES, recordedWith))
      .filter((f) => f.endsWith('.json'))
      .map((file): [string, string] => [recordedWith, file]),
  );
}

/**
 * Runs recorded by earlier code (test/replay/record-histories.ts) replay with today's workflows
 * without a nondeterminism error: a change that would break them needs patched(), and this is
 * where a missing one shows. No server: replay needs only the history.
 */
describe('Replay of runs recorded by earlier code', () => {
  let bundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    bundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_PATH],
      logger: new DefaultLogger('WARN'),
    });
  });

  it.each(recordedHistories())('replays %s/%s', async (recordedWith, file) => {
    // Decoded with the proto package's own types: the SDK's JSON reader (historyFromJSON) comes with
    // a protobufjs of its own in this install, whose reflection refuses these types.
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(fs.readFileSync(path.join(HISTORIES, recordedWith, file), 'utf8')),
    );
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, `${recordedWith}/${file}`);
  });
});
