import { explainStatement, parseSqlScript, singleQuery, splitSqlScriptMapped } from '../../src/domain/flink-sql';
import {
  flinkPositionOf,
  offsetOf,
  positionOf,
  relocatedMessage,
  sqlProblemOf,
  userPositionOf,
} from '../../src/domain/sql-position';

/** The statement DF sends for an SQLA2A query (see planSqlJob). */
const viewOf = (sql: string) => `CREATE TEMPORARY VIEW \`__df_result\` AS ${singleQuery(sql, 'trans_sql')}`;

describe("Places in Flink's SQL errors", () => {
  it('are read from "at line L, column C" and from the start of "From line L, column C to line …"', () => {
    expect(flinkPositionOf('SQL parse failed. Encountered "FORM" at line 3, column 12.')).toEqual({
      line: 3,
      column: 12,
    });
    expect(
      flinkPositionOf("SQL validation failed. From line 2, column 8 to line 2, column 12: Column 'amunt' not found"),
    ).toEqual({ line: 2, column: 8 });
    expect(flinkPositionOf("Column 'amunt' not found in any table")).toBeUndefined();
  });

  it('count lines the way the parser does: \\n, \\r\\n and \\r each end one', () => {
    const text = 'a\r\nbc\rd\nef';
    expect(offsetOf(text, { line: 4, column: 2 })).toBe(text.indexOf('f'));
    expect(positionOf(text, text.indexOf('d'))).toEqual({ line: 3, column: 1 });
    expect(offsetOf(text, { line: 9, column: 1 })).toBeUndefined();
  });
});

describe("A place in the statement DF sent, moved into the user's SQL", () => {
  it("keeps each statement's characters' places in the script, comments dropped", () => {
    const script = '-- note\nCREATE TABLE a (x INT) /* why */ WITH ();\n  INSERT INTO b SELECT x FROM a;';
    const [create, insert] = splitSqlScriptMapped(script);
    expect(create.text).toBe('CREATE TABLE a (x INT)   WITH ()');
    expect(script[create.origin[0]]).toBe('C');
    expect(insert.text).toBe('INSERT INTO b SELECT x FROM a');
    expect(insert.origin.map((o) => script[o]).join('')).toBe(insert.text);
  });

  it("finds an SQLA2A query's place behind DF's CREATE VIEW and the comment lines it dropped", () => {
    const sql = '-- doubles each amount\nSELECT id,\n  amunt * 2 AS doubled\nFROM `orders`;';
    const sent = viewOf(sql);
    // The sent view starts "CREATE … AS SELECT id," on line 1, so the user's third line is its second.
    expect(sent.split('\n')[1]).toBe('  amunt * 2 AS doubled');
    expect(userPositionOf(sent, { line: 2, column: 3 }, sql)).toEqual({ line: 3, column: 3 });
    const column = sent.indexOf('SELECT') + 1;
    expect(userPositionOf(sent, { line: 1, column }, sql)).toEqual({ line: 2, column: 1 });
  });

  it("finds a script INSERT's place inside the EXPLAIN of all of them", () => {
    const sql = [
      'CREATE TABLE words (word STRING) WITH (...);',
      'INSERT INTO loud SELECT UPPER(word) FROM words;',
      'INSERT INTO quiet SELECT LOWER(wrod) FROM words;',
    ].join('\n');
    const sent = explainStatement(parseSqlScript(sql, 'trans_sql').inserts);
    const column = sent.indexOf('wrod') + 1;
    expect(userPositionOf(sent, { line: 1, column }, sql)).toEqual({ line: 3, column: 32 });
  });

  it('maps an INSERT written with EXECUTE, which DF sends without it', () => {
    const sql = 'CREATE TABLE t (x INT);\nEXECUTE INSERT INTO t\nSELECT y FROM t';
    const sent = `EXPLAIN ${parseSqlScript(sql, 'trans_sql').inserts[0]}`;
    expect(userPositionOf(sent, { line: 2, column: 8 }, sql)).toEqual({ line: 3, column: 8 });
  });

  it("places Flink's end of input just after the user's last character", () => {
    const sql = 'SELECT id FROM t WHERE';
    const sent = viewOf(sql);
    expect(userPositionOf(sent, { line: 1, column: sent.length + 1 }, sql)).toEqual({ line: 1, column: 23 });
  });

  it("has no place for DF's own SQL around the user's", () => {
    const sql = 'SELECT id FROM t';
    expect(userPositionOf(viewOf(sql), { line: 1, column: 3 }, sql)).toBeUndefined();
  });
});

describe('A refused statement as the plan check shows it', () => {
  const sql = 'SELECT id,\n  amunt\nFROM t';
  const sent = viewOf(sql);

  it("rewrites the places Flink's message names into the user's lines", () => {
    expect(relocatedMessage('Encountered "amunt" at line 2, column 3.', sent, sql)).toBe(
      'Encountered "amunt" at line 2, column 3.',
    );
    const startColumn = sent.indexOf('id') + 1;
    expect(
      relocatedMessage(
        `From line 1, column ${startColumn} to line 1, column ${startColumn + 1}: Column 'id' …`,
        sent,
        sql,
      ),
    ).toBe(`From line 1, column 8 to line 1, column 9: Column 'id' …`);
  });

  it("drops a place in DF's own SQL rather than mislead", () => {
    expect(relocatedMessage('Encountered "VIEW" at line 1, column 18.', sent, sql)).toBe('Encountered "VIEW".');
    expect(relocatedMessage('SQL validation failed. From line 1, column 1 to line 1, column 6: Bad', sent, sql)).toBe(
      'SQL validation failed. Bad',
    );
  });

  it('takes the place from the full error text when the message has none', () => {
    expect(
      sqlProblemOf({ statement: sent, message: "Column 'amunt' not found", position: { line: 2, column: 3 } }, sql),
    ).toEqual({ line: 2, column: 3, message: "Column 'amunt' not found" });
    expect(sqlProblemOf({ statement: sent, message: 'The sink does not fit' }, sql)).toEqual({
      message: 'The sink does not fit',
    });
  });
});
