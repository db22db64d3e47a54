import { splitSqlScriptMapped, type MappedSql } from './flink-sql';

/**
 * Where Flink's SQL errors point, moved from the statement DF sent into the SQL the user wrote.
 * DF never sends the user's text as written: comments are dropped, statements split on ";", a
 * query wrapped in DF's own CREATE VIEW, INSERTs joined into one EXPLAIN. Pure: text in, places out.
 */

/** A place in SQL text: 1-based line and column, as Flink's messages count them. */
export interface SqlPosition {
  line: number;
  column: number;
}

/** One thing Flink found wrong, placed in the user's SQL when Flink said where and the place is the user's. */
export interface SqlProblem {
  /** Absent when Flink named no place, or the place is in SQL DF wrote around the user's. */
  line?: number;
  column?: number;
  message: string;
}

/** Calcite's words for a place: "From line L, column C to line L2, column C2" (a range) or "at line L, column C". */
const PLACE = /\bFrom line (\d+), column (\d+) to line (\d+), column (\d+)|\bat line (\d+), column (\d+)/gi;

/** The first place a Flink error text names (the start of a range); undefined when it names none. */
export function flinkPositionOf(text: string): SqlPosition | undefined {
  PLACE.lastIndex = 0;
  const m = PLACE.exec(text);
  if (!m) return undefined;
  return { line: Number(m[1] ?? m[5]), column: Number(m[2] ?? m[6]) };
}

/** Line starts of text, where "\r\n", "\r" and "\n" each end a line (as Calcite's parser counts them). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
  }
  return starts;
}

/** The offset of a place in text; undefined when text has no such line. One past a line's end is its end. */
export function offsetOf(text: string, position: SqlPosition): number | undefined {
  const starts = lineStarts(text);
  const start = starts[position.line - 1];
  if (start === undefined || position.column < 1) return undefined;
  return Math.min(start + position.column - 1, text.length);
}

/** The place of an offset in text. */
export function positionOf(text: string, offset: number): SqlPosition {
  const starts = lineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line: line + 1, column: offset - starts[line] + 1 };
}

/** A statement as a script's INSERT is sent: a leading EXECUTE dropped (see parseSqlScript). */
function withoutExecute(statement: MappedSql): MappedSql | undefined {
  const m = /^EXECUTE\s+/i.exec(statement.text);
  return m ? { text: statement.text.slice(m[0].length), origin: statement.origin.slice(m[0].length) } : undefined;
}

/**
 * The place in the user's SQL of a place in a statement DF sent: found where one of the user's
 * statements appears, as DF sends it, in the sent text; undefined when the place is in DF's own SQL.
 */
export function userPositionOf(sent: string, position: SqlPosition, userSql: string): SqlPosition | undefined {
  const offset = offsetOf(sent, position);
  if (offset === undefined) return undefined;
  for (const statement of splitSqlScriptMapped(userSql)) {
    for (const piece of [statement, withoutExecute(statement)]) {
      if (!piece) continue;
      for (let at = sent.indexOf(piece.text); at >= 0; at = sent.indexOf(piece.text, at + 1)) {
        const k = offset - at;
        // A place one past the statement's end is Flink's "<EOF>": just after the user's last character.
        if (k < 0 || k > piece.text.length) continue;
        const origin = k < piece.text.length ? piece.origin[k] : piece.origin[k - 1] + 1;
        return positionOf(userSql, origin);
      }
    }
  }
  return undefined;
}

/**
 * Flink's message with every place it names moved into the user's SQL; a place in DF's own SQL
 * would mislead, so its words are dropped.
 */
/** Where a dropped place was, until the spaces and colon around it are tidied. */
const DROPPED = '\u0000';

export function relocatedMessage(message: string, sent: string, userSql: string): string {
  const moved = (line: string, column: string) =>
    userPositionOf(sent, { line: Number(line), column: Number(column) }, userSql);
  return message
    .replace(PLACE, (_whole, l1?: string, c1?: string, l2?: string, c2?: string, l?: string, c?: string) => {
      if (l1 !== undefined && c1 !== undefined && l2 !== undefined && c2 !== undefined) {
        const from = moved(l1, c1);
        const to = moved(l2, c2);
        if (from && to) return `From line ${from.line}, column ${from.column} to line ${to.line}, column ${to.column}`;
        return from ? `at line ${from.line}, column ${from.column}` : DROPPED;
      }
      const at = l !== undefined && c !== undefined ? moved(l, c) : undefined;
      return at ? `at line ${at.line}, column ${at.column}` : DROPPED;
    })
    .replace(/\s*\u0000\s*:\s*/g, ' ')
    .replace(/\s*\u0000(?=[.,;])/g, '')
    .replace(/\s*\u0000\s*/g, ' ')
    .trim();
}

/**
 * What the user sees of a statement Flink refused: its message, at the place in the user's SQL
 * (from the message, or from `position`, which Flink's full error text gave when the message has none).
 */
export function sqlProblemOf(
  fault: { statement: string; message: string; position?: SqlPosition },
  userSql: string,
): SqlProblem {
  const place = flinkPositionOf(fault.message) ?? fault.position;
  const at = place ? userPositionOf(fault.statement, place, userSql) : undefined;
  return {
    ...(at ? { line: at.line, column: at.column } : {}),
    message: relocatedMessage(fault.message, fault.statement, userSql),
  };
}
