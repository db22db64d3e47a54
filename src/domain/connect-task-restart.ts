import { z } from 'zod';
import { taskId } from './task-input';
import { parseOrThrow, validationError } from './validation';

/** What connectTaskRestart takes: the connect, and the number of its task (Kafka Connect counts from 0). */
export interface ConnectTaskRestartInput {
  id: string;
  task: number;
}

const MAX_TASK = 99_999;

const taskRestartInput = z
  .object({
    id: taskId,
    task: z
      .number({ error: 'expected a task number (0, 1, …)' })
      .int({ error: 'expected a whole task number' })
      .min(0, { error: 'expected 0 or more' })
      .max(MAX_TASK, { error: `expected at most ${MAX_TASK}` }),
  })
  .strict();

/** The path's task number checked: digits only, so `1e2`, ` 1` or `01` are not taken for another task. */
export function parseConnectTaskRestart(id: string, rawTask: string): ConnectTaskRestartInput {
  if (!/^(0|[1-9]\d{0,4})$/.test(rawTask)) {
    throw validationError(`task must be a task number (0, 1, …), got ${rawTask}`, {
      task: [`expected a task number: 0, 1, … up to ${MAX_TASK}`],
    });
  }
  return parseOrThrow(taskRestartInput, { id, task: Number(rawTask) }, 'task restart');
}

/** Checks a task restart that did not come through the API (`temporal workflow start --input`). */
export function parseConnectTaskRestartInput(input: unknown): ConnectTaskRestartInput {
  return parseOrThrow(taskRestartInput, input, 'task restart');
}
