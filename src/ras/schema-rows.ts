import { DfError } from '../domain/errors';
import { parsedSchema, SchemaRow, SchemaType } from '../domain/schema';
import type { RegisteredSchema, SchemaRegistryClient } from './schema-registry';

/** A registered version as DF shows it, with the subject's compatibility and, when asked, every version number. */
export async function schemaRowOf(
  registry: SchemaRegistryClient,
  registered: RegisteredSchema,
  withVersions: boolean,
): Promise<SchemaRow> {
  const schemaType: SchemaType = registered.schemaType ?? 'AVRO';
  const [compatibility, versions] = await Promise.all([
    registry.compatibility(registered.subject),
    withVersions ? registry.versions(registered.subject) : Promise.resolve(undefined),
  ]);
  return {
    id: registered.subject,
    subject: registered.subject,
    version: registered.version,
    schemaId: registered.id,
    schemaType,
    schema: parsedSchema(registered.schema, schemaType),
    compatibility,
    ...(versions ? { versions } : {}),
  };
}

/** The subject's version (latest when none is given) with every version number; NOT_FOUND naming what is missing. */
export async function requireSchemaRow(
  registry: SchemaRegistryClient,
  subject: string,
  version?: number,
): Promise<SchemaRow> {
  const found = await registry.version(subject, version ?? 'latest');
  if (!found) {
    throw new DfError(
      'NOT_FOUND',
      version === undefined
        ? `no subject ${subject} in the schema registry`
        : `subject ${subject} has no version ${version}`,
      {
        details: { subject, version: version ?? 'latest' },
      },
    );
  }
  return schemaRowOf(registry, found, true);
}
