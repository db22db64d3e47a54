import { Hono } from 'hono';
import type { Workflow, WorkflowResultType } from '@temporalio/common';
import { diffAvroRecords } from '../../domain/avro-diff';
import { DfError } from '../../domain/errors';
import {
  filterSubjects,
  parseSchemaAdd,
  parseSchemaUpdate,
  parseSubject,
  parseSubjectFilter,
  SCHEMA_ROW_SHAPE,
  type SchemaRow,
} from '../../domain/schema';
import { validationError } from '../../domain/validation';
import type { SchemaRegistryClient } from '../../ras/schema-registry';
import { requireSchemaRow } from '../../ras/schema-rows';
import { runWorkflow } from '../../temporal/run';
import { workflowIds } from '../../protocol/workflow-ids';
import { schemaAdd, schemaList, schemaUpdate } from '../../../workflows/schema';
import { answerWithKeyedOperation, answerWithOperation, OperationDeps } from '../operations';
import { jsonObjectBody } from '../request-body';
import { rowsAnswer } from '../list-protocol';

function versionParam(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === 'latest') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw validationError(`${name} must be a version number or latest`, {
      [name]: ['expected a version number >= 1 or latest'],
    });
  return n;
}

/**
 * Schema Registry LAU (/schema): the list and the writes go through workflows schemaList,
 * schemaAdd and schemaUpdate. The list leaves internal subjects out unless `subjects=all` (see
 * isInternalSubject). A read of one subject asks the registry directly: a viewer reading
 * (or missing) a subject leaves no run behind in Temporal's history. The registry is append-only
 * here: DELETE is refused.
 */
export function schemaRoutes(deps: OperationDeps & { schemaRegistry: SchemaRegistryClient; metaTopic: string }) {
  const read = async <W extends Workflow>(
    workflow: W,
    workflowId: string,
    args: Parameters<W>,
  ): Promise<WorkflowResultType<W>> => {
    const outcome = await runWorkflow(deps.temporal, workflow, {
      taskQueue: deps.taskQueue,
      workflowId,
      args,
      waitMs: Math.max(deps.syncWaitMs, 30000),
    });
    if (outcome.state !== 'completed')
      throw new DfError('TIMEOUT', `the schema registry did not answer in time (workflow ${outcome.workflowId})`);
    return outcome.result;
  };
  const one = (subject: string, version?: number) => requireSchemaRow(deps.schemaRegistry, subject, version);

  return new Hono()
    .get('/schema', async (c) => {
      const filter = parseSubjectFilter(c.req.query('subjects'));
      const answer = rowsAnswer<SchemaRow>(c, {
        shape: SCHEMA_ROW_SHAPE,
        searchable: ['subject', 'schemaType', 'compatibility'],
        defaultSort: 'id',
      });
      const rows = filterSubjects(
        await read(schemaList, workflowIds.schemaList(deps.taskQueue), []),
        filter,
        deps.metaTopic,
      );
      return answer(rows);
    })
    .get('/schema/:subject', async (c) => {
      const subject = parseSubject(c.req.param('subject'));
      return c.json(await one(subject));
    })
    .get('/schema/:subject/versions/:version', async (c) => {
      const subject = parseSubject(c.req.param('subject'));
      const version = versionParam(c.req.param('version'), 'version');
      return c.json(await one(subject, version));
    })
    .get('/schema/:subject/diff', async (c) => {
      const subject = parseSubject(c.req.param('subject'));
      const to = versionParam(c.req.query('to'), 'to') ?? (await one(subject)).version;
      const from = versionParam(c.req.query('from'), 'from') ?? Math.max(1, to - 1);
      const [older, newer] = await Promise.all([from, to].map((v) => one(subject, v)));
      if (older.schemaType !== 'AVRO' || newer.schemaType !== 'AVRO') {
        throw validationError('diff compares Avro records only', {
          subject: [`${subject} holds ${newer.schemaType} schemas`],
        });
      }
      try {
        return c.json({ subject, from, to, changes: diffAvroRecords(older.schema, newer.schema) });
      } catch (error) {
        throw validationError(`cannot diff: ${(error as Error).message}`, { subject: ['not an Avro record'] });
      }
    })
    .post('/schema', async (c) => {
      const input = parseSchemaAdd(await jsonObjectBody(c));
      return answerWithOperation(
        c,
        deps,
        schemaAdd,
        {
          workflowId: workflowIds.schemaAdd(input.subject),
          args: [input],
          subject: { taskId: input.subject },
          onConflict: 'refuse',
          conflictMessage: `subject ${input.subject} is being added already`,
        },
        201,
      );
    })
    .put('/schema/:subject', async (c) => {
      const input = parseSchemaUpdate(c.req.param('subject'), await jsonObjectBody(c));
      // An unknown subject is answered here: a mistyped name starts no run.
      if (!(await deps.schemaRegistry.versions(input.subject))) {
        throw new DfError('NOT_FOUND', `no subject ${input.subject} in the schema registry`, {
          details: { subject: input.subject },
        });
      }
      return answerWithKeyedOperation(
        c,
        deps,
        schemaUpdate,
        (key) => workflowIds.schemaUpdate(input.subject, key),
        [input],
        200,
      );
    })
    .delete('/schema/:subject', (c) => {
      c.header('Allow', 'GET, HEAD, PUT');
      throw new DfError(
        'METHOD_NOT_ALLOWED',
        'schemas are append-only here: subjects and versions are never deleted; register a new version with PUT instead',
        {
          details: { method: 'DELETE', path: c.req.path, allowed: ['GET', 'HEAD', 'PUT'] },
        },
      );
    });
}
