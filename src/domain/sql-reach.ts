import { SqlToken, sqlTokens } from './flink-sql';
import {
  allows,
  entryProblems,
  pathProblem,
  REACH_SETTINGS,
  ReachPolicy,
  ReachProblem,
  RealPath,
} from './reach-policy';

/**
 * The reach policy for a task's Flink SQL: every option a statement sets (CREATE TABLE … WITH,
 * ALTER TABLE … SET, catalogs, modules, hints, SET) is checked by key and value; table connectors
 * and catalog types must be allowed; code loading (jars, Python) only when allowed; plan files
 * (COMPILE/EXECUTE PLAN) must lie under the allowed roots.
 */

/** SET keys that load code into the job or the cluster. */
const CODE_KEY = /^(pipeline\.(jars|classpaths)|python\.)/i;
const CONNECTOR_KEY = /^connector(\.type)?$/i;

const isWord = (t: SqlToken | undefined, ...words: string[]) =>
  t?.kind === 'word' && words.includes(t.text.toUpperCase());
const isSymbol = (t: SqlToken | undefined, text: string) => t?.kind === 'symbol' && t.text === text;

/** Adjacent string literals are one string to the parser ('pa'\n'th' is 'path'): merged so keys read as Flink reads them. */
function mergedStrings(tokens: SqlToken[]): SqlToken[] {
  const out: SqlToken[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.kind === 'string' && last?.kind === 'string')
      out[out.length - 1] = { kind: 'string', text: last.text + t.text };
    else out.push(t);
  }
  return out;
}

function statementsOf(tokens: SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [[]];
  for (const t of tokens) {
    if (isSymbol(t, ';')) statements.push([]);
    else statements[statements.length - 1].push(t);
  }
  return statements.filter((s) => s.length > 0);
}

/** 'key' = 'value' pairs wherever they stand (WITH, SET, hints, catalog and module options). */
function optionPairs(statement: SqlToken[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 2 < statement.length; i++) {
    if (statement[i].kind === 'string' && isSymbol(statement[i + 1], '=') && statement[i + 2].kind === 'string') {
      pairs.push([statement[i].text, statement[i + 2].text]);
    }
  }
  // The SQL client's unquoted form: SET key = value.
  if (isWord(statement[0], 'SET') && statement[1]?.kind === 'word' && isSymbol(statement[2], '=')) {
    pairs.push([
      statement[1].text,
      statement
        .slice(3)
        .map((t) => t.text)
        .join(''),
    ]);
  }
  return pairs;
}

function statementProblems(
  statement: SqlToken[],
  field: string,
  policy: ReachPolicy,
  realPath: RealPath,
): ReachProblem[] {
  const problems: ReachProblem[] = [];
  const code = (message: string) => problems.push({ field, message, setting: REACH_SETTINGS.sqlJars });
  const head = statement
    .slice(0, 6)
    .filter((t) => t.kind === 'word')
    .map((t) => t.text.toUpperCase());
  if (!policy.sqlJars) {
    if ((head[0] === 'ADD' || head[0] === 'REMOVE') && head[1] === 'JAR') code(`${head[0]} JAR is not allowed`);
    statement.forEach((t, i) => {
      if (isWord(t, 'USING') && isWord(statement[i + 1], 'JAR', 'FILE', 'ARCHIVE'))
        code(`a function USING ${statement[i + 1].text.toUpperCase()} is not allowed`);
      if (isWord(t, 'LANGUAGE') && isWord(statement[i + 1], 'PYTHON')) code('Python functions are not allowed');
    });
  }
  statement.forEach((t, i) => {
    if (isWord(t, 'UESCAPE'))
      problems.push({
        field,
        message: "UESCAPE strings are not accepted in a task's SQL",
        setting: REACH_SETTINGS.flinkConnectors,
      });
    // COMPILE PLAN 'file' writes a file, EXECUTE PLAN 'file' reads one.
    if (isWord(t, 'PLAN') && statement[i + 1]?.kind === 'string') {
      const problem = pathProblem(statement[i + 1].text, policy, realPath);
      if (problem) problems.push({ field, message: `plan file ${problem}`, setting: REACH_SETTINGS.pathRoots });
    }
  });
  const isCatalog = head[0] === 'CREATE' && head[1] === 'CATALOG';
  const pairs = optionPairs(statement);
  if (isCatalog) {
    const type = pairs.find(([k]) => k.toLowerCase() === 'type')?.[1];
    if (type === undefined || !allows(policy.flinkConnectors, type)) {
      problems.push({
        field,
        message: `catalog type ${type ?? '(none)'} is not allowed`,
        setting: REACH_SETTINGS.flinkConnectors,
      });
    }
  }
  for (const [key, value] of pairs) {
    if (CONNECTOR_KEY.test(key) && !allows(policy.flinkConnectors, value)) {
      problems.push({
        field,
        message: `Flink connector ${value} is not allowed`,
        setting: REACH_SETTINGS.flinkConnectors,
      });
    }
    if (CODE_KEY.test(key) && !policy.sqlJars) code(`${key} loads code and is not allowed`);
    problems.push(
      ...entryProblems(key, value, field, policy, realPath).map((p) => ({ ...p, message: `'${key}': ${p.message}` })),
    );
  }
  return problems;
}

/** The problems of a SQL text (a script, a query, a column list) given in `field`. */
export function sqlReachProblems(sql: string, field: string, policy: ReachPolicy, realPath: RealPath): ReachProblem[] {
  return statementsOf(mergedStrings(sqlTokens(sql))).flatMap((s) => statementProblems(s, field, policy, realPath));
}

/** Transform config keys that reach Flink as SQL text. */
const SQL_KEYS = ['trans_sql', 'columns_in'];

/** The problems of a transform's config entries (an add's config, an update's new config or patch). */
export function transformConfigProblems(
  config: Record<string, string | null>,
  policy: ReachPolicy,
  realPath: RealPath,
): ReachProblem[] {
  return SQL_KEYS.flatMap((key) => {
    const value = config[key];
    return typeof value === 'string' ? sqlReachProblems(value, `connectorConfig.${key}`, policy, realPath) : [];
  });
}
