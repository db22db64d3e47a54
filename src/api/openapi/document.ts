import { z } from 'zod';
import { API_OPERATIONS, API_TAGS, ApiOperation } from './catalogue';

type JsonSchema = Record<string, unknown>;

/** `/api/df/ps/:id` → `/api/df/ps/{id}` */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * The OpenAPI 3.1 document of the API, built from the catalogue. Schemas with an id (`.meta({id})`)
 * land once in components and are referenced; request bodies are described as the caller sends
 * them (zod's input side), answers as the API writes them.
 */
export function openApiDocument(version: string, operations: ApiOperation[] = API_OPERATIONS): Record<string, unknown> {
  const components: Record<string, JsonSchema> = {};
  const addComponent = (id: string, def: JsonSchema) => {
    if (def.$ref === `#/components/schemas/${id}`)
      throw new Error(`component ${id} would be only a reference to itself`);
    const known = components[id];
    // One id, one shape: a schema that reads differently as input and output needs two ids.
    if (known && JSON.stringify(known) !== JSON.stringify(def))
      throw new Error(`component ${id} has two different shapes`);
    components[id] = def;
  };
  const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'any',
      reused: 'inline',
    }) as JsonSchema;
    // Schemas with an id come back under $defs (the top-level one too, as a $ref to its own def);
    // in OpenAPI they live in components, and the operation refers to them there.
    const {
      $schema: _drop,
      $defs,
      ...rest
    } = JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema & {
      $defs?: Record<string, JsonSchema>;
    };
    for (const [id, def] of Object.entries($defs ?? {})) addComponent(id, def);
    return rest;
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const pathParams = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const parameters = [
      ...pathParams,
      ...(op.query ?? []).map((q) => ({
        name: q.name,
        in: 'query',
        required: false,
        description: q.description,
        schema: q.schema ? toSchema(q.schema, 'input') : { type: 'string' },
      })),
      ...(op.headers ?? []).map((h) => ({
        name: h.name,
        in: 'header',
        required: false,
        description: h.description,
        schema: { type: 'string' },
      })),
    ];
    const responses = Object.fromEntries(
      Object.entries(op.responses).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.text ? { content: { 'text/plain': { schema: { type: 'string' } } } } : {}),
          ...(r.schema ? { content: { 'application/json': { schema: toSchema(r.schema, 'output') } } } : {}),
        },
      ]),
    );
    const requestBody = op.upload
      ? {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { file: { type: 'string', format: 'binary' } },
                required: ['file'],
              },
            },
          },
        }
      : op.body
        ? { required: true, content: { 'application/json': { schema: toSchema(op.body, 'input') } } }
        : undefined;
    (paths[openApiPath(op.path)] ??= {})[op.method] = {
      operationId: operationId(op),
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
      security: op.access === 'open' ? [] : [{ bearer: [] }],
      'x-df-access': op.access,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'DataFibers API',
      version,
      description:
        'Kafka Connect connectors, Flink jobs and Schema Registry subjects, each change a durable Temporal workflow. ' +
        'With DF_API_TOKENS set, send `Authorization: Bearer <token>`: viewer tokens read (all but the audit), admin tokens also change; every change is recorded with the name of the token that asked (GET /api/df/audit). ' +
        'Every error is `{ "error": { "code", "message", "details" }, "message" }` (the top-level `message` repeats error.message with each field\'s messages, where json-server clients read it), Node\'s own refusals included: 400 for a request it cannot parse, 408 for one too slow, 431 for headers over its limit. ' +
        'Any request may be refused 403 HOST_NOT_ALLOWED when its Host is not one of DF_ALLOWED_HOSTS; a method a path does not take answers 405 with Allow.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    // Relative: the document is served by the API it describes, at whatever address that has.
    servers: [{ url: '/', description: 'This DataFibers' }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({
      name,
      ...(API_TAGS[name] ? { description: API_TAGS[name] } : {}),
    })),
    paths,
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from DF_API_TOKENS' } },
    },
  };
}

function operationId(op: ApiOperation): string {
  const words = op.path
    .replace(/^\/api(\/df)?/, '')
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? `by-${s.slice(1)}` : s))
    .join('-');
  return `${op.method}-${words || 'root'}`.replace(/[^A-Za-z0-9]+(.)/g, (_m, ch: string) => ch.toUpperCase());
}
