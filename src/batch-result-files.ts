import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_PREVIEW_ROW_BYTES, oversizedRow, previewRowOf } from './domain/batch-result';
import { DfError } from './domain/errors';
import { pathProblem } from './domain/reach-policy';
import { realPathOfLongestPrefix } from './reach-guard';

/**
 * The first rows of a batch result: the committed part files of the directory Flink's filesystem
 * sink wrote (in-progress and hidden files skipped), in name order, read line by line until
 * `limit` rows. The directory must lie under `resultDir` (symlinks resolved): the path comes from
 * a stored record, which must not make the API read any other file.
 */
export async function readResultRows(
  resultPath: string,
  resultDir: string,
  limit: number,
): Promise<Record<string, unknown>[]> {
  const outside = pathProblem(resultPath, { pathRoots: [resultDir] }, realPathOfLongestPrefix);
  if (outside)
    throw new DfError('CONFLICT', `the recorded batch result is not under DF's result directory: ${outside}`, {
      details: { resultPath },
    });
  let dir: string;
  let names: string[];
  try {
    dir = await fs.realpath(resultPath.startsWith('file:') ? fileURLToPath(resultPath) : resultPath);
    names = await fs.readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new DfError('CONFLICT', `the batch result ${resultPath} is gone: its files were removed`, {
        details: { resultPath },
      });
    throw error;
  }
  const rows: Record<string, unknown>[] = [];
  for (const name of names.filter((n) => !n.startsWith('.') && !n.startsWith('_')).sort()) {
    if (rows.length >= limit) break;
    const file = path.join(dir, name);
    // Flink writes plain files: a link could lead out of the directory.
    if (!(await fs.lstat(file)).isFile()) continue;
    await readLines(file, limit - rows.length, (row) => rows.push(row));
  }
  return rows;
}

/** Up to `max` rows of one file, streamed: only the current row is held, and it at most MAX_PREVIEW_ROW_BYTES. */
async function readLines(file: string, max: number, take: (row: Record<string, unknown>) => void): Promise<void> {
  let taken = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  const end = (): void => {
    if (oversized) take(oversizedRow(MAX_PREVIEW_ROW_BYTES));
    else if (pendingBytes > 0) take(previewRowOf(Buffer.concat(pending).toString('utf8')));
    else return;
    taken++;
  };
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
        append(chunk.subarray(from, nl));
        end();
        pending = [];
        pendingBytes = 0;
        oversized = false;
        from = nl + 1;
        if (taken >= max) return;
      }
      append(chunk.subarray(from));
    }
    end();
  } finally {
    stream.destroy();
  }

  function append(part: Buffer): void {
    if (oversized || part.length === 0) return;
    if (pendingBytes + part.length > MAX_PREVIEW_ROW_BYTES) {
      oversized = true;
      pending = [];
      pendingBytes = 0;
      return;
    }
    pending.push(part);
    pendingBytes += part.length;
  }
}
