import { z } from 'zod';
import type { RowShape } from './list-sort';
import { parseOrThrow, validationError } from './validation';

export const SCHEMA_TYPES = ['AVRO', 'JSON', 'PROTOBUF'] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/**
 * A subject as DF shows it: one list row of GET /schema (the original's shape: `id` is the subject,
 * `schemaId` the registry's numeric id, `schema` parsed when it is JSON).
 */
export interface SchemaRow {
  id: string;
  subject: string;
  version: number;
  schemaId: number;
  schemaType: SchemaType;
  schema: unknown;
  compatibility: string;
  /** Every version number (GET /schema/:subject only). */
  versions?: number[];
}

/** The fields of a schema row (GET /schema): what `_sort` takes; any path into the schema itself (`schema.name`). */
export const SCHEMA_ROW_SHAPE: RowShape = {
  fields: ['id', 'subject', 'version', 'schemaId', 'schemaType', 'schema', 'compatibility', 'versions'],
  open: ['schema'],
};

/**
 * Subjects name Kafka topics here (a subject is created with the topic of the same name), so they
 * follow Kafka's topic rule; some registries accept anything, which would leave a topic-less subject.
 */
export const SUBJECT_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;
const subject = z
  .string()
  .trim()
  .min(1, 'required: a subject')
  .regex(SUBJECT_PATTERN, 'expected 1-249 letters, digits, ".", "_" or "-" (a Kafka topic name)');

const schemaText = z.union(
  [z.string().min(1, 'empty schema'), z.record(z.string(), z.unknown()), z.array(z.unknown())],
  {
    error: 'expected the schema as a JSON object or a string',
  },
);

export const schemaAddBody = z
  .object({
    id: subject.optional(),
    subject: subject.optional(),
    schema: schemaText,
    schemaType: z.enum(SCHEMA_TYPES, { error: `expected one of ${SCHEMA_TYPES.join(', ')}` }).optional(),
    compatibility: z
      .enum(COMPATIBILITY_LEVELS, { error: `expected one of ${COMPATIBILITY_LEVELS.join(', ')}` })
      .optional(),
    partitions: z.number().int().min(1).max(10000).optional(),
    replicationFactor: z.number().int().min(1).max(32).optional(),
  })
  .passthrough();

export const schemaUpdateBody = schemaAddBody
  .omit({ id: true, subject: true, partitions: true, replicationFactor: true })
  .extend({ schema: schemaText.optional() });

export interface SchemaAddInput {
  subject: string;
  schema: string;
  schemaType: SchemaType;
  compatibility?: CompatibilityLevel;
  partitions: number;
  /** Absent: DF's default (DF_TOPIC_REPLICATION). */
  replicationFactor?: number;
}

export interface SchemaUpdateInput {
  subject: string;
  schema?: string;
  schemaType: SchemaType;
  compatibility?: CompatibilityLevel;
}

/** The schema as the registry takes it: a string; JSON kinds must at least parse. */
function schemaString(value: string | object, type: SchemaType, path = 'schema'): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  if (type === 'PROTOBUF') return value;
  try {
    JSON.parse(value);
  } catch {
    // A bare Avro primitive name ("string") is a valid schema too.
    if (type === 'AVRO' && /^[a-z]+$/.test(value)) return JSON.stringify(value);
    throw validationError(`the ${type} schema is not valid JSON`, { [path]: ['not valid JSON'] });
  }
  return value;
}

/** The original UI's Avro records may lack a name: it took the subject's. */
function withAvroName(schema: string, type: SchemaType, subjectName: string): string {
  if (type !== 'AVRO') return schema;
  const parsed = JSON.parse(schema) as unknown;
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    if (record.type === 'record' && (typeof record.name !== 'string' || record.name === '')) {
      return JSON.stringify({ ...record, name: subjectName.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1') });
    }
  }
  return schema;
}

export function parseSchemaAdd(body: unknown): SchemaAddInput {
  const b = parseOrThrow(schemaAddBody, body, 'schema');
  const name = b.id ?? b.subject;
  if (!name) throw validationError('give the subject as id or subject', { subject: ['required: a subject'] });
  const schemaType = b.schemaType ?? 'AVRO';
  return {
    subject: name,
    schema: withAvroName(schemaString(b.schema, schemaType), schemaType, name),
    schemaType,
    ...(b.compatibility ? { compatibility: b.compatibility } : {}),
    partitions: b.partitions ?? 1,
    ...(b.replicationFactor === undefined ? {} : { replicationFactor: b.replicationFactor }),
  };
}

export function parseSchemaUpdate(subjectName: string, body: unknown): SchemaUpdateInput {
  const name = parseOrThrow(subject, subjectName, 'subject', 'subject');
  const b = parseOrThrow(schemaUpdateBody, body, 'schema update');
  if (b.schema === undefined && b.compatibility === undefined) {
    throw validationError('give a new schema, a compatibility, or both', {
      schema: ['required unless compatibility is given'],
    });
  }
  const schemaType = b.schemaType ?? 'AVRO';
  return {
    subject: name,
    ...(b.schema === undefined ? {} : { schema: withAvroName(schemaString(b.schema, schemaType), schemaType, name) }),
    schemaType,
    ...(b.compatibility ? { compatibility: b.compatibility } : {}),
  };
}

export function parseSubject(value: unknown): string {
  return parseOrThrow(subject, value, 'subject', 'subject');
}

/** The registry's schema string, parsed where it is JSON, so clients get an object, not escaped text. */
export function parsedSchema(schema: string, type: SchemaType): unknown {
  if (type === 'PROTOBUF') return schema;
  try {
    return JSON.parse(schema);
  } catch {
    return schema;
  }
}

/**
 * Subjects a topic list leaves out, as the original DataFibers did: the `-key` and `-value` twins
 * of a subject that is listed itself (a topic registered under its own name), and DF's metadata
 * subjects. A `-value` subject alone stays: it is the only name its topic has in the registry.
 */
export function isInternalSubject(subject: string, listed: ReadonlySet<string>, metaTopic: string): boolean {
  const base = subject.replace(/-(key|value)$/, '');
  if (base === metaTopic) return true;
  return base !== subject && listed.has(base);
}

export const SUBJECT_FILTERS = ['topics', 'all'] as const;
/** GET /schema?subjects=: topics (internal subjects left out, the default) or all. */
export type SubjectFilter = (typeof SUBJECT_FILTERS)[number];

export function parseSubjectFilter(raw: string | undefined): SubjectFilter {
  if (raw === undefined || raw === '') return 'topics';
  if ((SUBJECT_FILTERS as readonly string[]).includes(raw)) return raw as SubjectFilter;
  throw validationError(`subjects must be one of ${SUBJECT_FILTERS.join(', ')}`, {
    subjects: [`expected one of ${SUBJECT_FILTERS.join(', ')}`],
  });
}

/** The rows a list shows under the filter. */
export function filterSubjects<T extends { subject: string }>(
  rows: T[],
  filter: SubjectFilter,
  metaTopic: string,
): T[] {
  if (filter === 'all') return rows;
  const listed = new Set(rows.map((r) => r.subject));
  return rows.filter((r) => !isInternalSubject(r.subject, listed, metaTopic));
}
