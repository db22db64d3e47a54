import { DfError } from './errors';
import type { StringMap } from './task';
import { validationError } from './validation';

/**
 * Flink SQL text DF writes or reads: identifier and string quoting, script splitting, Avro schema →
 * column list, and the DESCRIBE answer → column list. Pure: no gateway calls here.
 */

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function withOptions(options: StringMap): string {
  return Object.entries(options)
    .map(([k, v]) => `${sqlString(k)} = ${sqlString(v)}`)
    .join(', ');
}

/**
 * Splits a script into statements on ";" outside strings, quoted identifiers and comments, and
 * drops the comments (the gateway takes one statement per call).
 */
export function splitSqlScript(script: string): string[] {
  return splitSqlScriptMapped(script).map((s) => s.text);
}

/** A piece of SQL DF sends, with the offset in the user's text each of its characters came from. */
export interface MappedSql {
  text: string;
  /** origin[k]: where text[k] is in the user's script (a dropped comment's space: where the comment began). */
  origin: number[];
}

/** splitSqlScript's statements, each with where its characters are in the script. */
export function splitSqlScriptMapped(script: string): MappedSql[] {
  const statements: MappedSql[] = [];
  let text = '';
  let origin: number[] = [];
  const end = () => {
    const start = text.length - text.trimStart().length;
    const stop = text.trimEnd().length;
    if (stop > start) statements.push({ text: text.slice(start, stop), origin: origin.slice(start, stop) });
    text = '';
    origin = [];
  };
  const take = (from: number, to: number) => {
    text += script.slice(from, to);
    for (let k = from; k < Math.min(to, script.length); k++) origin.push(k);
  };
  let i = 0;
  while (i < script.length) {
    const ch = script[i];
    const next = script[i + 1];
    if (ch === '-' && next === '-') {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && next === '*') {
      const close = script.indexOf('*/', i + 2);
      text += ' ';
      origin.push(i);
      i = close < 0 ? script.length : close + 2;
      continue;
    }
    if (ch === "'" || ch === '`' || ch === '"') {
      let j = i + 1;
      while (j < script.length) {
        if (script[j] === ch && script[j + 1] === ch)
          j += 2; // doubled quote inside
        else if (script[j] === ch) break;
        else j++;
      }
      take(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === ';') {
      end();
      i++;
      continue;
    }
    take(i, i + 1);
    i++;
  }
  end();
  return statements;
}

function firstWords(statement: string, n: number): string {
  return statement.trim().split(/\s+/).slice(0, n).join(' ').toUpperCase();
}

const QUERY_START = /^(SELECT|WITH|VALUES|\()/i;

/** A single query (SELECT/WITH/VALUES), comments and a trailing ";" dropped; anything else is refused. */
export function singleQuery(sql: string, field: string): string {
  const statements = splitSqlScript(sql);
  if (statements.length !== 1) {
    throw validationError(`${field} must be one query; found ${statements.length} statements`, {
      [field]: ['expected one SELECT query'],
    });
  }
  const query = statements[0];
  if (!QUERY_START.test(query)) {
    throw validationError(
      `${field} must be a SELECT query (DF declares the sink table itself): ${query.slice(0, 80)}`,
      {
        [field]: ['expected a SELECT query, not ' + firstWords(query, 1)],
      },
    );
  }
  return query;
}

/** A script split into what declares (DDL, SET…) and the INSERTs that make up the job. */
export interface SqlScript {
  declarations: string[];
  inserts: string[];
}

/**
 * Splits a user script (DDL + INSERTs) into declarations and inserts; a SQL client
 * `BEGIN STATEMENT SET; … END;` block is flattened, since the INSERTs run as one job anyway.
 */
export function parseSqlScript(script: string, field: string): SqlScript {
  const declarations: string[] = [];
  const inserts: string[] = [];
  for (const statement of splitSqlScript(script)) {
    const head = firstWords(statement, 3);
    if (head === 'BEGIN STATEMENT SET' || head === 'END') continue;
    if (head.startsWith('EXECUTE STATEMENT SET')) {
      throw validationError('write the INSERTs as separate statements; DF runs all of them as one job', {
        [field]: ['EXECUTE STATEMENT SET is not needed'],
      });
    }
    if (/^(INSERT|EXECUTE INSERT)\b/.test(head)) inserts.push(statement.replace(/^EXECUTE\s+/i, ''));
    else if (QUERY_START.test(statement)) {
      throw validationError(
        'a script cannot hold a bare query: its rows would have nowhere to go; INSERT them into a table',
        {
          [field]: ['SELECT without INSERT'],
        },
      );
    } else declarations.push(statement);
  }
  if (inserts.length === 0) {
    throw validationError('the script has no INSERT: nothing would run', {
      [field]: ['expected at least one INSERT INTO … statement'],
    });
  }
  return { declarations, inserts };
}

/** The INSERTs as the one statement that submits them as one job. */
export function jobStatement(inserts: string[]): string {
  return inserts.length === 1 ? inserts[0] : `EXECUTE STATEMENT SET BEGIN ${inserts.map((s) => `${s};`).join(' ')} END`;
}

/** The same INSERTs, planned but not run. */
export function explainStatement(inserts: string[]): string {
  return inserts.length === 1
    ? `EXPLAIN ${inserts[0]}`
    : `EXPLAIN STATEMENT SET BEGIN ${inserts.map((s) => `${s};`).join(' ')} END`;
}

/** One row of DESCRIBE: name, type, nullable. */
export interface DescribedColumn {
  name: string;
  type: string;
  nullable: boolean;
}

/** A column list for CREATE TABLE from DESCRIBE rows; time attribute markers (*ROWTIME*) are not types. */
export function columnsOfDescribe(columns: DescribedColumn[]): string {
  return columns
    .map(
      (c) =>
        `${quoteIdent(c.name)} ${c.type.replace(/\s*\*(ROWTIME|PROCTIME)\*/g, '')}${c.nullable ? '' : ' NOT NULL'}`,
    )
    .join(', ');
}

type AvroType = string | AvroType[] | { type: AvroType; [key: string]: unknown };

const AVRO_PRIMITIVES: Record<string, string> = {
  boolean: 'BOOLEAN',
  int: 'INT',
  long: 'BIGINT',
  float: 'FLOAT',
  double: 'DOUBLE',
  bytes: 'BYTES',
  string: 'STRING',
};

/** Logical types Flink's Avro format reads (legacy timestamp mapping, its default). */
function logicalFlinkType(t: Record<string, unknown>): string | undefined {
  switch (t.logicalType) {
    case 'date':
      return 'DATE';
    case 'time-millis':
      return 'TIME(3)';
    case 'timestamp-millis':
    case 'local-timestamp-millis':
      return 'TIMESTAMP(3)';
    case 'timestamp-micros':
    case 'local-timestamp-micros':
      return 'TIMESTAMP(6)';
    case 'decimal':
      return `DECIMAL(${Number(t.precision)}, ${Number(t.scale ?? 0)})`;
    default:
      return undefined;
  }
}

function flinkTypeOf(t: AvroType, path: string, named: Map<string, string>): { type: string; nullable: boolean } {
  if (Array.isArray(t)) {
    const nonNull = t.filter((m) => m !== 'null');
    if (nonNull.length !== 1) throw unsupported(path, 'a union other than [null, T]');
    return { type: flinkTypeOf(nonNull[0], path, named).type, nullable: t.length > nonNull.length };
  }
  if (typeof t === 'string') {
    if (AVRO_PRIMITIVES[t]) return { type: AVRO_PRIMITIVES[t], nullable: false };
    const known = named.get(t);
    if (known) return { type: known, nullable: false };
    throw unsupported(path, `type ${t}`);
  }
  const logical = logicalFlinkType(t);
  if (logical) return { type: logical, nullable: false };
  let type: string;
  switch (t.type) {
    case 'record': {
      const fields = (t.fields as { name: string; type: AvroType }[]) ?? [];
      type = `ROW<${fields
        .map((f) => {
          const inner = flinkTypeOf(f.type, `${path}.${f.name}`, named);
          return `${quoteIdent(f.name)} ${inner.type}${inner.nullable ? '' : ' NOT NULL'}`;
        })
        .join(', ')}>`;
      break;
    }
    case 'enum':
      type = 'STRING';
      break;
    case 'fixed':
      type = `BINARY(${Number(t.size)})`;
      break;
    case 'array': {
      const inner = flinkTypeOf(t.items as AvroType, `${path}[]`, named);
      type = `ARRAY<${inner.type}${inner.nullable ? '' : ' NOT NULL'}>`;
      break;
    }
    case 'map': {
      const inner = flinkTypeOf(t.values as AvroType, `${path}{}`, named);
      type = `MAP<STRING NOT NULL, ${inner.type}${inner.nullable ? '' : ' NOT NULL'}>`;
      break;
    }
    default:
      return flinkTypeOf(t.type, path, named);
  }
  if (typeof t.name === 'string') named.set(t.name, type);
  return { type, nullable: false };
}

function unsupported(path: string, what: string): DfError {
  return validationError(
    `the registered schema's field ${path} is ${what}, which DF cannot map to a Flink column; give columns_in`,
    {
      'connectorConfig.columns_in': [`needed: ${path} has no Flink type`],
    },
  );
}

/** The Flink column list of an Avro record schema (a topic's registered value schema). */
export function columnsOfAvroRecord(schema: unknown, topic: string): string {
  const record = schema as { type?: unknown; fields?: { name: string; type: AvroType }[] };
  if (record?.type !== 'record' || !Array.isArray(record.fields)) {
    throw validationError(`the schema registered for ${topic} is not an Avro record; give columns_in`, {
      'connectorConfig.columns_in': ['needed: the topic has no record schema'],
    });
  }
  const named = new Map<string, string>();
  return record.fields
    .map((f) => {
      const t = flinkTypeOf(f.type, f.name, named);
      return `${quoteIdent(f.name)} ${t.type}${t.nullable ? '' : ' NOT NULL'}`;
    })
    .join(', ');
}

/** A piece of SQL text as the reach policy reads it. */
export interface SqlToken {
  kind: 'string' | 'ident' | 'word' | 'symbol';
  /** Strings and quoted identifiers unquoted; words as written. */
  text: string;
}

/**
 * SQL text as tokens: strings ('…', doubled quotes inside), quoted identifiers (`…`, "…"), words
 * and single-character symbols. Comments are dropped, except hints (`/*+ OPTIONS(…) *\/`), whose
 * content is read like any other SQL, since a hint can set table options.
 */
export function sqlTokens(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '-' && next === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && next === '*') {
      if (sql[i + 2] === '+') {
        i += 3;
        continue;
      } // a hint: its content is tokenized, its "*/" skipped below
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    if (ch === '*' && next === '/') {
      i += 2;
      continue;
    }
    const unicode = (ch === 'U' || ch === 'u') && next === '&' && sql[i + 2] === "'";
    if (unicode) i += 2;
    const quote = sql[i];
    if (quote === "'" || quote === '`' || quote === '"') {
      let j = i + 1;
      let text = '';
      while (j < sql.length) {
        if (sql[j] === quote && sql[j + 1] === quote) {
          text += quote;
          j += 2;
        } else if (sql[j] === quote) break;
        else text += sql[j++];
      }
      // Double quotes count as a string: whichever way Flink reads them, options are then checked.
      tokens.push({ kind: quote === '`' ? 'ident' : 'string', text: unicode ? unicodeUnescaped(text) : text });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z0-9_$.:-]+/.exec(sql.slice(i, i + 1000));
    // "-" starts a word only inside one, so "a-b" stays whole but "--" (handled above) and "- 1" do not.
    if (word && ch !== '-') {
      tokens.push({ kind: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    tokens.push({ kind: 'symbol', text: ch });
    i++;
  }
  return tokens;
}

/** The text of a U&'…' literal with its default escapes (\\XXXX, \\+XXXXXX, \\\\) applied. */
function unicodeUnescaped(text: string): string {
  return text.replace(/\\(\\|\+[0-9A-Fa-f]{6}|[0-9A-Fa-f]{4})/g, (_, e: string) =>
    e === '\\' ? '\\' : String.fromCodePoint(parseInt(e.replace('+', ''), 16)),
  );
}

/**
 * Whether a column list stays inside the parentheses DF writes around it: outside strings its
 * parentheses balance and never close DF's, and it has no ";" or comment that would end or hide
 * the rest of DF's statement; every string and quoted name is closed.
 */
export function isContainedColumnList(text: string): boolean {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "'" || ch === '`' || ch === '"') {
      let j = i + 1;
      while (j < text.length && !(text[j] === ch && text[j + 1] !== ch)) j += text[j] === ch ? 2 : 1;
      if (j >= text.length) return false;
      i = j + 1;
      continue;
    }
    if (ch === ';' || (ch === '-' && text[i + 1] === '-') || (ch === '/' && text[i + 1] === '*')) return false;
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
    i++;
  }
  return depth === 0;
}
