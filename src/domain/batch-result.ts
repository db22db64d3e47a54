import { DfError } from './errors';
import type { Task } from './task';
import { validationError } from './validation';

/**
 * GET /tr/:id/result: the first rows of a batch SQL transform's result, the JSON-lines files its
 * Flink job wrote under DF_DATA_DIR/results.
 */
export const BATCH_TRANSFORM_TYPE = 'TRANSFORM_BATCH_FLINK_SQL';
export const DEFAULT_PREVIEW_ROWS = 10;
export const MAX_PREVIEW_ROWS = 1000;
/** A longer row is shown as a note of its size: a preview never holds a huge row in memory. */
export const MAX_PREVIEW_ROW_BYTES = 1 << 20;

/** `?limit=`: 1 to MAX_PREVIEW_ROWS, DEFAULT_PREVIEW_ROWS when absent. */
export function parsePreviewLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PREVIEW_ROWS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1 || n > MAX_PREVIEW_ROWS)
    throw validationError(`limit must be an integer from 1 to ${MAX_PREVIEW_ROWS}`, {
      limit: [`expected an integer from 1 to ${MAX_PREVIEW_ROWS}`],
    });
  return n;
}

/** Where a transform's finished result is, and how many rows it has; refused (409) when it has none to show. */
export function previewableResult(task: Task): { resultPath: string; rows: number } {
  const resultPath = task.jobConfig?.result_path;
  if (task.connectorType !== BATCH_TRANSFORM_TYPE && !resultPath)
    throw new DfError(
      'CONFLICT',
      `transform ${task.id} is a ${task.connectorType}, which writes no result files: only ${BATCH_TRANSFORM_TYPE} transforms have a result to preview`,
      { details: { id: task.id, connectorType: task.connectorType } },
    );
  const rows = task.jobConfig?.result_rows;
  if (!resultPath || rows === undefined)
    throw new DfError(
      'CONFLICT',
      `transform ${task.id} has no result yet: its job is ${task.status}; the result can be previewed once it is FINISHED`,
      { details: { id: task.id, status: task.status } },
    );
  return { resultPath, rows: Number(rows) };
}

/** One row of the preview: the JSON object Flink wrote, or the line as text when it is not one. */
export function previewRowOf(line: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(line);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Shown as text below.
  }
  return { line };
}

/** The stand-in for a row longer than MAX_PREVIEW_ROW_BYTES. */
export function oversizedRow(bytes: number): Record<string, unknown> {
  return { omitted: `a row of more than ${bytes} bytes is not previewed` };
}
