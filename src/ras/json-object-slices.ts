/** Members parsed between two turns of the event loop (250 connector statuses: about 60 KB of JSON). */
export const MEMBERS_PER_SLICE = 250;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The index just past the string whose opening quote is at `open` (or the text's length if it never closes). */
function pastString(text: string, open: number): number {
  let at = open + 1;
  for (;;) {
    const close = text.indexOf('"', at);
    if (close < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close + 1;
    at = close + 1;
  }
}

/**
 * Each member of the JSON object `text`, parsed a slice of members at a time with a turn of the event
 * loop between slices: JSON.parse of a whole answer of 90,000 connector statuses held the event loop
 * (and every API request of the process) for a few hundred ms. A text that is not an object is parsed
 * whole; one that is not JSON throws as JSON.parse would (members before the fault may have been given).
 */
export async function eachObjectMember(
  text: string,
  onMember: (name: string, value: unknown) => void,
  membersPerSlice = MEMBERS_PER_SLICE,
): Promise<void> {
  const start = text.search(/\S/);
  if (start < 0 || text.charCodeAt(start) !== OPEN_BRACE) {
    const whole: unknown = JSON.parse(text);
    if (whole === null || typeof whole !== 'object' || Array.isArray(whole))
      throw new SyntaxError('expected a JSON object');
    for (const [name, value] of Object.entries(whole)) onMember(name, value);
    return;
  }
  const parse = (from: number, to: number) => {
    const body = text.slice(from, to);
    // No member between two commas, or after the last one, is not JSON, though `{}` would parse.
    if (from > start + 1 && body.trim() === '') JSON.parse(text);
    const slice = JSON.parse(`{${body}}`) as Record<string, unknown>;
    for (const name in slice) onMember(name, slice[name]);
  };
  let sliceStart = start + 1;
  let members = 0;
  let depth = 1;
  let at = start + 1;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) {
      at = pastString(text, at);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) {
        if (c !== CLOSE_BRACE) JSON.parse(text); // throws: a `]` closes the object
        parse(sliceStart, at);
        if (text.slice(at + 1).trim() !== '') JSON.parse(text); // throws: something after the object
        return;
      }
    } else if (c === COMMA && depth === 1 && ++members >= membersPerSlice) {
      parse(sliceStart, at);
      sliceStart = at + 1;
      members = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    at++;
  }
  JSON.parse(text); // throws: the object never closes
}
