import { decodeAvro } from './avro-binary';
import type { RowShape } from './list-sort';
import type { SchemaType } from './schema';
import { validationError } from './validation';

/**
 * A topic's records shown to people (GET /avroconsumer): each key and value decoded with the
 * schema its Confluent wire-format header names, else read as JSON, else as text, else as base64.
 */

/** How a key or value was read. */
export const PREVIEW_FORMATS = ['avro', 'json-schema', 'json', 'string', 'base64', 'null'] as const;
export type PreviewFormat = (typeof PREVIEW_FORMATS)[number];

/** One record of a preview: the original's fields (id, value, valueString) and where it comes from. */
export interface PreviewRow {
  /** `<partition>-<offset>`. */
  id: string;
  partition: number;
  offset: number;
  /** When the record was written (its Kafka timestamp), ISO 8601. */
  timestamp: string;
  key: unknown;
  value: unknown;
  /** The value as text: JSON, indented, for structured values. */
  valueString: string;
  format: PreviewFormat;
  /** The registry's id of the schema the value was written with, when its header names one. */
  schemaId?: number;
  /** Why the value could not be decoded with its schema (it is then shown as base64). */
  decodeError?: string;
}

/** `_sort` of a preview: any field of its rows, any path into a decoded key or value. */
export const PREVIEW_ROW_SHAPE: RowShape = {
  fields: [
    'id',
    'partition',
    'offset',
    'timestamp',
    'key',
    'value',
    'valueString',
    'format',
    'schemaId',
    'decodeError',
  ],
  open: ['key', 'value'],
};

/** A schema as the registry gives it by id. */
export interface WriterSchema {
  schema: string;
  schemaType?: SchemaType;
}

export const PREVIEW_DEFAULT_LIMIT = 10;
export const PREVIEW_MAX_LIMIT = 100;

/** The `limit` of a preview: 1 to PREVIEW_MAX_LIMIT records, PREVIEW_DEFAULT_LIMIT when absent. */
export function parsePreviewLimit(raw: string | undefined): number {
  if (raw === undefined || raw === '') return PREVIEW_DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > PREVIEW_MAX_LIMIT) {
    throw validationError(`limit must be a whole number from 1 to ${PREVIEW_MAX_LIMIT}`, {
      limit: [`expected 1 to ${PREVIEW_MAX_LIMIT}, got ${raw}`],
    });
  }
  return n;
}

/** The schema id of a Confluent wire-format record (magic byte 0, then the id in 4 bytes big-endian). */
export function wireSchemaId(bytes: Uint8Array): number | undefined {
  if (bytes.length < 5 || bytes[0] !== 0) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1, false);
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export interface Rendered {
  value: unknown;
  format: PreviewFormat;
  schemaId?: number;
  decodeError?: string;
}

/** Bytes without a schema: JSON when they parse, text when they are UTF-8, else base64. */
export function renderPlain(bytes: Uint8Array | null): Rendered {
  if (bytes === null) return { value: null, format: 'null' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { value: base64(bytes), format: 'base64' };
  }
  try {
    return { value: JSON.parse(text), format: 'json' };
  } catch {
    return { value: text, format: 'string' };
  }
}

/**
 * Bytes with a wire-format header, read with the schema it names: Avro decoded, JSON Schema
 * parsed; a Protobuf payload, or one its schema cannot read, as base64 (with the reason).
 */
export function renderRegistered(bytes: Uint8Array, schemaId: number, writer: WriterSchema | undefined): Rendered {
  const payload = bytes.subarray(5);
  if (!writer)
    return { value: base64(bytes), format: 'base64', schemaId, decodeError: `no schema ${schemaId} in the registry` };
  const type = writer.schemaType ?? 'AVRO';
  try {
    if (type === 'AVRO') return { value: decodeAvro(writer.schema, payload), format: 'avro', schemaId };
    if (type === 'JSON')
      return {
        value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)),
        format: 'json-schema',
        schemaId,
      };
  } catch (error) {
    return { value: base64(payload), format: 'base64', schemaId, decodeError: (error as Error).message };
  }
  return { value: base64(payload), format: 'base64', schemaId, decodeError: `${type} payloads are shown as base64` };
}

/** The text a row shows: a string as it is, anything else as indented JSON. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
