import { z } from 'zod';
import type { ConfigRollbackInput } from './config-version';
import { taskId } from './task-input';
import { UPGRADE_MODES } from './transform-input';
import { parseOrThrow } from './validation';

/** Inputs of the rollback workflows, checked the same way from the API and from the CLI. */

const versionNumber = z
  .number({ error: 'expected a version number' })
  .int({ error: 'expected a whole version number' })
  .min(1, { error: 'versions count from 1' });

export const rollbackBody = z.object({ version: versionNumber }).strict();

/** A rollback body ({version}) as the version asked for. */
export function parseRollbackBody(body: unknown): number {
  return parseOrThrow(rollbackBody, body, 'rollback').version;
}

const rollbackInput = z
  .object({
    id: taskId,
    version: versionNumber,
    expectedRevision: z.number().int().min(0).optional(),
    upgradeMode: z.enum(UPGRADE_MODES).optional(),
  })
  .strict();

/** Checks a rollback input that did not come through the API (CLI). */
export function parseRollbackInput(input: unknown): ConfigRollbackInput {
  const i = parseOrThrow(rollbackInput, input, 'rollback');
  return {
    id: i.id,
    version: i.version,
    ...(i.expectedRevision !== undefined ? { expectedRevision: i.expectedRevision } : {}),
    ...(i.upgradeMode ? { upgradeMode: i.upgradeMode } : {}),
  };
}

/** A version number given in a path or query (`versions/3`, `from=2`), or undefined when it is not one. */
export function versionNumberOf(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^[1-9][0-9]{0,8}$/.test(raw)) return undefined;
  return Number(raw);
}
