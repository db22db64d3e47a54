/** Entries parsed between two turns of the event loop (250 connector statuses: about 60 KB of JSON). */
export const ENTRIES_PER_SLICE = 250;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/*
 * The readers scan the answer's UTF-8 bytes, never the whole answer as one string: decoding an
 * answer of 22 MB held the event loop for tens of ms. Every byte JSON's structure is made of is
 * ASCII, and no byte of a multi-byte UTF-8 character is, so a structural byte found is one.
 */

/** The index just past the string whose opening quote is at `open` (or the body's length if it never closes). */
function pastString(body: Buffer, open: number): number {
  // A loop over the bytes, not Buffer#indexOf: a call into C++ for each of a million short strings
  // costs more than the scan.
  for (let at = open + 1; at < body.length; at++) {
    const c = body[at];
    if (c === BACKSLASH) at++;
    else if (c === QUOTE) return at + 1;
  }
  return body.length;
}

/** The index of the first byte at or after `from` that is not JSON white space (-1 if none). */
function nextToken(body: Buffer, from: number): number {
  for (let at = from; at < body.length; at++) {
    const c = body[at];
    if (c !== SPACE && c !== LINE_FEED && c !== CARRIAGE_RETURN && c !== TAB) return at;
  }
  return -1;
}

/** Throws the SyntaxError JSON.parse gives for the body, which the caller has found malformed. */
function malformed(body: Buffer): never {
  JSON.parse(body.toString('utf8'));
  throw new SyntaxError('malformed JSON');
}

/**
 * Scans the object or array whose bracket is at `open`, handing its entries to `parse` a slice at a
 * time (whole entries and the commas between them, without the brackets), with a turn of the event
 * loop between slices. Returns the index just past the closing bracket. A fault of structure in the
 * container throws as JSON.parse would; one within an entry, from `parse`.
 */
async function sliceContainer(
  body: Buffer,
  open: number,
  perSlice: number,
  parse: (entries: string) => void,
): Promise<number> {
  const closing = body[open] === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
  const slice = (from: number, to: number) => {
    const entries = body.toString('utf8', from, to);
    // No entry between two commas, or after the last one, is not JSON, though `{}` and `[]` would parse.
    if (from > open + 1 && entries.trim() === '') malformed(body);
    parse(entries);
  };
  let sliceStart = open + 1;
  let entries = 0;
  let depth = 1;
  let at = open + 1;
  while (at < body.length) {
    const c = body[at];
    if (c === QUOTE) {
      at = pastString(body, at);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) {
        if (c !== closing) malformed(body);
        slice(sliceStart, at);
        return at + 1;
      }
    } else if (c === COMMA && depth === 1 && ++entries >= perSlice) {
      slice(sliceStart, at);
      sliceStart = at + 1;
      entries = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    at++;
  }
  return malformed(body);
}

/** The whole body as an object, for answers not shaped as the sliced readers expect. */
function wholeObject(body: Buffer): Record<string, unknown> {
  const whole: unknown = JSON.parse(body.toString('utf8'));
  if (whole === null || typeof whole !== 'object' || Array.isArray(whole))
    throw new SyntaxError('expected a JSON object');
  return whole as Record<string, unknown>;
}

/**
 * Each member of the JSON object in `body`, parsed a slice of members at a time with a turn of the
 * event loop between slices: JSON.parse of a whole answer of 90,000 connector statuses held the
 * event loop (and every API request of the process) for a few hundred ms. A body that is not an
 * object is parsed whole; one that is not JSON throws as JSON.parse would (members before the fault
 * may have been given).
 */
export async function eachObjectMember(
  body: Buffer,
  onMember: (name: string, value: unknown) => void,
  membersPerSlice = ENTRIES_PER_SLICE,
): Promise<void> {
  const start = nextToken(body, 0);
  if (start < 0 || body[start] !== OPEN_BRACE) {
    for (const [name, value] of Object.entries(wholeObject(body))) onMember(name, value);
    return;
  }
  const end = await sliceContainer(body, start, membersPerSlice, (members) => {
    const slice = JSON.parse(`{${members}}`) as Record<string, unknown>;
    for (const name in slice) onMember(name, slice[name]);
  });
  if (nextToken(body, end) >= 0) malformed(body);
}

/**
 * The index where the value of the object's first member named `member` starts, or -1. Only the
 * object's own keys count: a string is a key when a colon follows it at the object's level.
 */
function memberValueAt(body: Buffer, open: number, member: string): number {
  let depth = 1;
  let at = open + 1;
  while (at < body.length) {
    const c = body[at];
    if (c === QUOTE) {
      const end = pastString(body, at);
      const colon = depth === 1 ? nextToken(body, end) : -1;
      if (colon >= 0 && body[colon] === COLON && JSON.parse(body.toString('utf8', at, end)) === member)
        return nextToken(body, colon + 1);
      at = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return -1;
    at++;
  }
  return -1;
}

/**
 * Each element of the array held by member `member` of the JSON object in `body` (Flink's
 * `{"jobs":[…]}`), parsed a slice of elements at a time as eachObjectMember does: Flink's overview
 * of 10,000 jobs took about 70 ms to parse whole. No elements when the object has no such array;
 * the rest of the object is checked as JSON, not read. A body that is not an object throws.
 */
export async function eachElementOf(
  body: Buffer,
  member: string,
  onElement: (value: unknown) => void,
  elementsPerSlice = ENTRIES_PER_SLICE,
): Promise<void> {
  const start = nextToken(body, 0);
  const value = start >= 0 && body[start] === OPEN_BRACE ? memberValueAt(body, start, member) : -1;
  if (value < 0 || body[value] !== OPEN_BRACKET) {
    const whole = wholeObject(body)[member];
    if (Array.isArray(whole)) for (const element of whole) onElement(element);
    return;
  }
  const end = await sliceContainer(body, value, elementsPerSlice, (elements) => {
    for (const element of JSON.parse(`[${elements}]`) as unknown[]) onElement(element);
  });
  // The object around the array must be JSON too: parsed with the array left out.
  JSON.parse(`${body.toString('utf8', 0, value)}null${body.toString('utf8', end)}`);
}
