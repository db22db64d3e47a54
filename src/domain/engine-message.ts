/**
 * What DF repeats of an engine's error text (a Flink root exception, a Kafka Connect trace, a
 * gateway failure) in a task's statusReason and in answers: the message line only, capped. The
 * rest of a trace can carry the data the job was reading (a failed CAST shows the row), which is
 * the job's business, not every reader's of the task.
 */

/** The most of an engine's message DF repeats. */
export const ENGINE_MESSAGE_MAX = 300;

/** The first non-empty line of an engine's error text, control characters dropped, cut at ENGINE_MESSAGE_MAX. */
export function engineMessage(text: string | undefined, max = ENGINE_MESSAGE_MAX): string | undefined {
  const line = text
    ?.split(/\r?\n|\r/)
    .map((l) => l.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim())
    .find((l) => l.length > 0);
  if (!line) return undefined;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
