import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readResultRows } from '../../src/batch-result-files';
import {
  MAX_PREVIEW_ROW_BYTES,
  parsePreviewLimit,
  previewableResult,
  previewRowOf,
} from '../../src/domain/batch-result';
import { DfError } from '../../src/domain/errors';
import type { Task } from '../../src/domain/task';

const task = (fields: Partial<Task>) =>
  ({
    id: 'big-amounts',
    connectorType: 'TRANSFORM_BATCH_FLINK_SQL',
    connectorCategory: 'TRANSFORM',
    status: 'RUNNING',
    ...fields,
  }) as Task;

function refusal(run: () => unknown): DfError {
  try {
    run();
  } catch (error) {
    if (error instanceof DfError) return error;
    throw error;
  }
  throw new Error('not refused');
}

async function refusalOf(run: () => Promise<unknown>): Promise<DfError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DfError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('Batch result preview: which rows, how many', () => {
  it('gives 10 rows unless asked, and up to 1000', () => {
    expect(parsePreviewLimit(undefined)).toBe(10);
    expect(parsePreviewLimit('')).toBe(10);
    expect(parsePreviewLimit('1')).toBe(1);
    expect(parsePreviewLimit('1000')).toBe(1000);
  });

  it.each(['0', '1001', '-1', '2.5', 'ten', '1e3'])('refuses limit=%s with 400 naming limit', (raw) => {
    const error = refusal(() => parsePreviewLimit(raw));
    expect(error.httpStatus).toBe(400);
    expect(error.details).toEqual({ fields: { limit: [expect.stringMatching(/1 to 1000/)] } });
  });

  it('refuses a transform of another kind with 409, naming the kind that has results', () => {
    const error = refusal(() => previewableResult(task({ connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A' })));
    expect(error.httpStatus).toBe(409);
    expect(error.message).toMatch(/only TRANSFORM_BATCH_FLINK_SQL/);
  });

  it('refuses a batch transform whose job has not finished with a result, with 409 giving its status', () => {
    const error = refusal(() => previewableResult(task({ jobConfig: { result_path: 'file:///r/big/1' } })));
    expect(error.httpStatus).toBe(409);
    expect(error.message).toMatch(/no result yet: its job is RUNNING/);
  });

  it('finds a finished result where the task recorded it, with its row count', () => {
    expect(
      previewableResult(task({ status: 'FINISHED', jobConfig: { result_path: 'file:///r/big/1', result_rows: '3' } })),
    ).toEqual({ resultPath: 'file:///r/big/1', rows: 3 });
  });

  it('gives each line as the JSON object Flink wrote, or as text when it is not one', () => {
    expect(previewRowOf('{"id":"r1","amount":3}')).toEqual({ id: 'r1', amount: 3 });
    expect(previewRowOf('[1,2]')).toEqual({ line: '[1,2]' });
    expect(previewRowOf('not json')).toEqual({ line: 'not json' });
  });
});

describe('Batch result preview: reading the files', () => {
  let root: string;
  let resultDir: string;
  let job: string;
  beforeEach(async () => {
    root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'df-result-')));
    resultDir = path.join(root, 'results');
    job = path.join(resultDir, 'big-amounts', 'job1');
    await fs.mkdir(job, { recursive: true });
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('reads the committed part files in name order, skipping hidden and in-progress ones, up to the limit', async () => {
    await fs.writeFile(path.join(job, 'part-b-0'), '{"n":3}\n{"n":4}\n');
    await fs.writeFile(path.join(job, 'part-a-0'), '{"n":1}\n\n{"n":2}');
    await fs.writeFile(path.join(job, '.part-c-0.inprogress'), '{"n":99}\n');
    await fs.writeFile(path.join(job, '_SUCCESS'), '');
    expect(await readResultRows(`file://${job}`, resultDir, 10)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(await readResultRows(`file://${job}`, resultDir, 3)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(await readResultRows(job, resultDir, 1)).toEqual([{ n: 1 }]);
  });

  it('shows a row too long to preview as a note, and goes on with the next', async () => {
    await fs.writeFile(path.join(job, 'part-0'), `{"big":"${'x'.repeat(MAX_PREVIEW_ROW_BYTES)}"}\n{"n":2}\n`);
    expect(await readResultRows(job, resultDir, 10)).toEqual([
      { omitted: expect.stringMatching(/more than/) },
      { n: 2 },
    ]);
  });

  it('refuses with 409 a recorded path outside the result directory, a symlink out of it included', async () => {
    const outside = path.join(root, 'elsewhere');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'part-0'), '{"secret":1}\n');
    await fs.symlink(outside, path.join(resultDir, 'big-amounts', 'link'));
    for (const recorded of [
      outside,
      `file://${outside}`,
      path.join(resultDir, 'big-amounts', 'link'),
      `${job}/../../../elsewhere`,
    ]) {
      const error = await refusalOf(() => readResultRows(recorded, resultDir, 10));
      expect(error.httpStatus).toBe(409);
      expect(error.message).toMatch(/not under DF's result directory/);
    }
  });

  it('reads no file a link in the result directory leads to', async () => {
    const secret = path.join(root, 'secret.json');
    await fs.writeFile(secret, '{"secret":1}\n');
    await fs.symlink(secret, path.join(job, 'part-a-0'));
    await fs.writeFile(path.join(job, 'part-b-0'), '{"n":1}\n');
    expect(await readResultRows(job, resultDir, 10)).toEqual([{ n: 1 }]);
  });

  it('refuses with 409 a result whose files are gone', async () => {
    const error = await refusalOf(() => readResultRows(path.join(resultDir, 'big-amounts', 'job2'), resultDir, 10));
    expect(error.httpStatus).toBe(409);
    expect(error.message).toMatch(/is gone/);
  });
});
