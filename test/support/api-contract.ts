import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import { openApiDocument } from '../../src/api/openapi/document';

/** One HTTP answer as a client saw it: the body parsed when it was JSON, else its text. */
export interface ApiAnswer {
  method: string;
  /** Absolute URL, or a path with its query. */
  url: string;
  status: number;
  contentType?: string;
  body: unknown;
}

/** The ways an answer can break the document's promise. */
export type ContractCheck = 'status-documented' | 'content-type' | 'schema';

export interface ContractBreach {
  check: ContractCheck;
  message: string;
}

type JsonSchema = Record<string, unknown>;
interface MediaType {
  schema?: JsonSchema;
}
interface Response {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Pages for people beside the API (the console, Swagger UI, the document itself): not operations. */
const NOT_OPERATIONS = [/^\/$/, /^\/console(\/|$)/, /^\/api\/docs(\/|$)/, /^\/api\/openapi\.json$/];
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);
/** What a method or path the document does not have is answered with: auth's refusals, or no such route. */
const OUTSIDE_THE_DOCUMENT = [401, 403, 404, 405];

interface Route {
  template: string;
  pattern: RegExp;
  literals: number;
}

/**
 * The OpenAPI document as a checker of answers: finds the operation a request reached by method
 * and path template, and says where the answer leaves what the document promises (an undocumented
 * status, another content type, a body its schema refuses).
 */
export class ApiContract {
  private readonly routes: Route[];
  private readonly ajv = new Ajv2020({ allErrors: true, strict: true, formats: { binary: true } });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Document = openApiDocument('contract') as unknown as Document) {
    this.routes = Object.keys(doc.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(
          `^${template
            .split('/')
            .map((s) => (/^\{\w+\}$/.test(s) ? '[^/]+' : escapeRegExp(s)))
            .join('/')}$`,
        ),
        literals: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      }))
      // `/api/df/tr/{id}/savepoints` before `/api/df/ps/{id}/{action}`-like catch-alls.
      .sort((a, b) => b.literals - a.literals);
  }

  /** The path template of the operation a request reached, if the document has one. */
  templateFor(pathname: string): string | undefined {
    return this.routes.find((r) => r.pattern.test(pathname))?.template;
  }

  check(answer: ApiAnswer): ContractBreach[] {
    const method = answer.method.toLowerCase();
    const pathname = new URL(answer.url, 'http://df.invalid').pathname;
    if (!METHODS.has(method) || NOT_OPERATIONS.some((p) => p.test(pathname))) return [];
    const template = this.templateFor(pathname);
    const operation = template ? this.doc.paths[template][method] : undefined;
    if (!operation) {
      // A request outside the document gets the API's "no such route" refusal, in the one error
      // shape; without the token it would need, auth answers first, as for any route.
      if (!OUTSIDE_THE_DOCUMENT.includes(answer.status)) {
        return [
          {
            check: 'status-documented',
            message: `no documented operation, yet answered ${answer.status} instead of ${OUTSIDE_THE_DOCUMENT.join(', ')}`,
          },
        ];
      }
      return this.checkBody(answer, 'route-fallback', {
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      });
    }
    const key = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find(
      (k) => k in operation.responses,
    );
    if (!key) {
      return [
        {
          check: 'status-documented',
          message: `${answer.status} is not documented for ${method.toUpperCase()} ${template} (documented: ${Object.keys(operation.responses).join(', ')})`,
        },
      ];
    }
    return this.checkBody(answer, `${method} ${template} ${key}`, operation.responses[key]);
  }

  private checkBody(answer: ApiAnswer, cacheKey: string, response: Response): ContractBreach[] {
    const documented = Object.keys(response.content ?? {});
    if (documented.length === 0) return [];
    const mediaType = (answer.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!documented.includes(mediaType)) {
      return [{ check: 'content-type', message: `content type "${mediaType}", documented: ${documented.join(', ')}` }];
    }
    const schema = response.content?.[mediaType]?.schema;
    if (!schema || mediaType !== 'application/json') return [];
    let body = answer.body;
    if (typeof answer.body === 'string') {
      try {
        body = JSON.parse(answer.body);
      } catch {
        return [
          {
            check: 'content-type',
            message: `declared application/json, body is not JSON: ${answer.body.slice(0, 120)}`,
          },
        ];
      }
    }
    const validate = this.validatorFor(`${cacheKey} ${mediaType}`, schema);
    if (validate(body)) return [];
    return [{ check: 'schema', message: this.ajv.errorsText(validate.errors, { dataVar: 'body', separator: '; ' }) }];
  }

  private validatorFor(key: string, schema: JsonSchema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      // The document's refs point into its components; the validator gets them as $defs.
      const defs = toDefs(this.doc.components.schemas) as Record<string, JsonSchema>;
      validate = this.ajv.compile({ ...(toDefs(schema) as JsonSchema), $defs: defs });
      this.validators.set(key, validate);
    }
    return validate;
  }
}

function toDefs(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/'));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let shared: ApiContract | undefined;
/** The contract of the code under test, built once per test file. */
export function apiContract(): ApiContract {
  return (shared ??= new ApiContract());
}

/** Describes an answer and its breaches in one line a failed test can show. */
export function describeBreaches(answer: ApiAnswer, breaches: ContractBreach[]): string {
  const pathname = new URL(answer.url, 'http://df.invalid').pathname;
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  return (
    `${answer.method.toUpperCase()} ${pathname} answered ${answer.status}, against the OpenAPI document: ` +
    `${breaches.map((b) => `[${b.check}] ${b.message}`).join(' | ')}; body: ${(body ?? '').slice(0, 300)}`
  );
}
