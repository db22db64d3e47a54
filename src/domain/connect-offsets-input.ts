import { z } from 'zod';
import type { ConnectOffsetsInput, ConnectorOffset } from './connect-offsets';
import { taskId } from './task-input';
import { parseOrThrow } from './validation';

// Members described one by one so the API document lists them as alternatives, not as a `type` array.
const offsetValue = z.union(
  [
    z.string().meta({ description: 'text' }),
    z.number().meta({ description: 'a number' }),
    z.boolean().meta({ description: 'a flag' }),
    z.null().meta({ description: 'none' }),
  ],
  {
    error: 'expected a string, number, boolean or null',
  },
);
const offsetMap = z
  .record(z.string(), offsetValue)
  .refine((map) => Object.keys(map).length > 0, { message: 'expected at least one key' });

const connectorOffset: z.ZodType<ConnectorOffset> = z
  .object({
    partition: offsetMap.meta({ description: 'The source partition (a file, a table) or the topic partition' }),
    offset: offsetMap
      .nullable()
      .meta({ description: 'Where the connector goes on from in the partition; null resets the partition' }),
  })
  .strict();

/** The body of PATCH /ps/:id/offsets, in Kafka Connect's own shape (what GET answers). */
export const connectorOffsetsBody = z.object({ offsets: z.array(connectorOffset).min(1) }).strict();

/** An alter request's body, checked: each bad field named (`offsets.0.partition`, …). */
export function parseOffsetsAlter(id: string, body: unknown): ConnectOffsetsInput {
  const { offsets } = parseOrThrow(connectorOffsetsBody, body, 'offsets');
  return { id, change: 'alter', offsets };
}

const offsetsInput = z.discriminatedUnion('change', [
  z.object({ id: taskId, change: z.literal('alter'), offsets: connectorOffsetsBody.shape.offsets }).strict(),
  z.object({ id: taskId, change: z.literal('reset') }).strict(),
]);

/** Checks an offsets change that did not come through the API (`temporal workflow start --input`). */
export function parseConnectOffsetsInput(input: unknown): ConnectOffsetsInput {
  return parseOrThrow(offsetsInput, input, 'offsets change');
}
