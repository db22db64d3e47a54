import { proxyActivities } from '@temporalio/workflow';
import type { SchemaActivities } from '../activities/schema';
import { DfError } from '../src/domain/errors';
import type { SchemaRow, SchemaUpdateInput } from '../src/domain/schema';
import { COMPENSATION, RAS_CALL } from './activity-options';
import { workflowFailure } from '../src/protocol/failure-codec';
import { tagRun } from './run-tags';

const act = proxyActivities<SchemaActivities>(RAS_CALL);
const undo = proxyActivities<SchemaActivities>(COMPENSATION);

/** schemaList: every subject with its latest version, schema id, schema and compatibility. */
export async function schemaList(): Promise<SchemaRow[]> {
  tagRun({ category: 'SCHEMA', summary: 'list schemas' });
  return act.listSchemas();
}

/** schemaGet: one subject (latest, or the given version) with all its version numbers. */
export async function schemaGet(input: { subject: string; version?: number }): Promise<SchemaRow> {
  tagRun({
    category: 'SCHEMA',
    taskId: input.subject,
    summary: `read schema ${input.subject}${input.version ? ` version ${input.version}` : ''}`,
  });
  return act.getSchema(input.subject, input.version);
}

/**
 * schemaAdd: create the subject's Kafka topic (unless it exists), register the schema, set the
 * compatibility mode when given. An identical schema already registered is answered as it is (no
 * new version); a subject that exists with another schema is a conflict (update it instead). If
 * registering fails, a topic this run created is deleted again: the registry is append-only, so
 * the topic goes first.
 */
export async function schemaAdd(request: unknown): Promise<SchemaRow> {
  const input = await act.checkSchemaAdd(request);
  tagRun({
    category: 'SCHEMA',
    taskId: input.subject,
    summary: `register schema ${input.subject} (${input.schemaType})`,
  });
  const identical = await act.findIdenticalVersion(input.subject, input.schema, input.schemaType);
  if (identical !== undefined) return act.getSchema(input.subject, identical);
  if (await act.subjectExists(input.subject)) {
    throw workflowFailure(
      new DfError(
        'CONFLICT',
        `subject ${input.subject} exists with another schema; register a new version with PUT /schema/${input.subject}`,
        {
          details: { subject: input.subject },
        },
      ),
    );
  }
  const { created } = await act.ensureTopic(input.subject, input.partitions, input.replicationFactor);
  try {
    if (input.compatibility) await act.setCompatibility(input.subject, input.compatibility);
    await act.registerSchema(input.subject, input.schema, input.schemaType);
  } catch (error) {
    if (created) await undo.deleteTopic(input.subject);
    throw error;
  }
  return act.getSchema(input.subject);
}

/**
 * schemaUpdate: register a new version after the registry's compatibility test passes (nothing is
 * registered otherwise), and/or change the compatibility mode alone.
 */
export async function schemaUpdate(request: SchemaUpdateInput): Promise<SchemaRow> {
  const input = await act.checkSchemaUpdate(request);
  tagRun({ category: 'SCHEMA', taskId: input.subject, summary: `update schema ${input.subject}` });
  if (!(await act.subjectExists(input.subject))) {
    throw workflowFailure(
      new DfError('NOT_FOUND', `no subject ${input.subject} in the schema registry`, {
        details: { subject: input.subject },
      }),
    );
  }
  if (input.schema !== undefined) {
    const identical = await act.findIdenticalVersion(input.subject, input.schema, input.schemaType);
    if (identical === undefined) {
      await act.requireCompatible(input.subject, input.schema, input.schemaType);
      await act.registerSchema(input.subject, input.schema, input.schemaType);
    }
  }
  if (input.compatibility) await act.setCompatibility(input.subject, input.compatibility);
  return act.getSchema(input.subject);
}
