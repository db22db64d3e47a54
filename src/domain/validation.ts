import { z } from 'zod';
import { DfError } from './errors';

/** Field path → messages: the shape of every validation error's details, DF's and Kafka Connect's alike. */
export type FieldErrors = Record<string, string[]>;

export function validationError(message: string, fields: FieldErrors): DfError {
  return new DfError('VALIDATION_FAILED', message, { details: { fields } });
}

/** Parses with a zod schema, or throws VALIDATION_FAILED naming each bad field (under `prefix` when the input is part of a body). */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string, prefix?: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== undefined).join('.') || '(body)';
    (fields[path] ??= []).push(issue.message);
  }
  const summary = Object.entries(fields)
    .map(([k, v]) => `${k}: ${v.join(', ')}`)
    .join('; ');
  throw validationError(`invalid ${what}: ${summary}`, fields);
}
