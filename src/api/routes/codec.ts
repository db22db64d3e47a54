import { Hono, type Context } from 'hono';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { DfError } from '../../domain/errors';
import { parseOrThrow } from '../../domain/validation';
import { jsonObjectBody } from '../request-body';

const base64 = z
  .string()
  .max(64 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
export const codecBody = z.object({
  // Proto JSON leaves an empty list out: the CLI sends an update called without arguments as {}.
  payloads: z
    .array(z.object({ metadata: z.record(z.string().min(1), base64).optional(), data: base64.optional() }))
    .max(10_000)
    .default([]),
});
type JsonPayload = { metadata?: Record<string, string>; data?: string };

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * The remote codec the Temporal Web UI and CLI call (`--codec-endpoint …/api/codec`) to show the
 * encrypted payloads of DF's workflows in clear: POST /encode and /decode take and give
 * `{ payloads: [{ metadata, data }] }` with base64 bytes. Both are admin requests when API tokens
 * are set, so only an authorised UI sees secrets. With no DF_PAYLOAD_KEY, payloads pass as they are.
 */
export function codecRoutes(codec: PayloadCodec | undefined) {
  const run = (direction: 'encode' | 'decode') => async (c: Context) => {
    const { payloads } = parseOrThrow(codecBody, await jsonObjectBody(c), `${direction} request`);
    const given = payloads.map(fromJson);
    let out: Payload[];
    try {
      out = codec ? await codec[direction](given) : given;
    } catch (error) {
      throw new DfError('VALIDATION_FAILED', `cannot ${direction} these payloads: ${(error as Error).message}`);
    }
    return c.json({ payloads: out.map(toJson) });
  };
  return new Hono().post('/encode', run('encode')).post('/decode', run('decode'));
}
