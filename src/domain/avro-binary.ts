/**
 * Avro's binary encoding read into plain JSON values, for previews of a topic's records: unions
 * give the branch's value itself, bytes and fixed give base64, a decimal its digits, a long beyond
 * 2^53 its digits as a string (JSON numbers would round it). Reading is bounded by the buffer: a
 * count or length the data cannot hold is an error, never a long loop.
 */

type AvroNode = string | AvroNode[] | { [key: string]: unknown };

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export class AvroDecodeError extends Error {}

class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (n > this.remaining) throw new AvroDecodeError(`the record ends early: ${n} more bytes needed at ${this.pos}`);
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  /** A zigzag varint of up to 64 bits. */
  varlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new AvroDecodeError(`a varint longer than 64 bits at ${this.pos}`);
    }
    return (result >> 1n) ^ -(result & 1n);
  }

  /** A long as a JSON number when it is exact, else its digits. */
  long(): number | string {
    const n = this.varlong();
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
  }

  /**
   * A count or length. With `perItem`, the rest of the buffer must be able to hold that many
   * items of at least that many bytes each (a length of a string or bytes: 1).
   */
  size(what: string, perItem = 1): number {
    const n = this.varlong();
    const abs = n < 0n ? -n : n;
    if (perItem > 0 && abs * BigInt(perItem) > BigInt(this.remaining))
      throw new AvroDecodeError(`${what} of ${abs} at ${this.pos} is more than the record holds`);
    return Number(n);
  }

  float(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  raw(n: number): Uint8Array {
    if (n < 0) throw new AvroDecodeError(`a negative length at ${this.pos}`);
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  bytes(): Uint8Array {
    return this.raw(this.size('a length'));
  }

  string(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** A decimal's two's-complement big-endian unscaled value with its scale, as digits. */
function decimalText(bytes: Uint8Array, scale: number): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0] & 0x80) n -= 1n << BigInt(bytes.length * 8);
  const negative = n < 0n;
  let digits = (negative ? -n : n).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

function fullName(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

function namespaceOf(name: string, declared: unknown, enclosing: string | undefined): string | undefined {
  if (name.includes('.')) return name.slice(0, name.lastIndexOf('.'));
  return typeof declared === 'string' && declared !== '' ? declared : enclosing;
}

/** The named types (records, enums, fixed) a schema declares, by full name, each with its namespace. */
function collectNames(
  node: AvroNode,
  ns: string | undefined,
  names: Map<string, { node: AvroNode; ns: string | undefined }>,
): void {
  if (Array.isArray(node)) {
    for (const branch of node) collectNames(branch, ns, names);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const type = node.type;
  if ((type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') && typeof node.name === 'string') {
    const own = namespaceOf(node.name, node.namespace, ns);
    names.set(fullName(node.name, own), { node, ns: own });
    if (Array.isArray(node.fields))
      for (const f of node.fields as { type: AvroNode }[]) collectNames(f.type, own, names);
    return;
  }
  if (type === 'array') collectNames(node.items as AvroNode, ns, names);
  else if (type === 'map') collectNames(node.values as AvroNode, ns, names);
  else if (typeof type === 'object' && type !== null) collectNames(type as AvroNode, ns, names);
}

/** Items read in one value at most: a guard against counts of zero-byte items (nulls). */
const MAX_ITEMS = 1_000_000;

class Decoder {
  private readonly names = new Map<string, { node: AvroNode; ns: string | undefined }>();
  private items = 0;

  constructor(private readonly root: AvroNode) {
    collectNames(root, undefined, this.names);
  }

  decode(bytes: Uint8Array): unknown {
    const reader = new Reader(bytes);
    const value = this.read(this.root, undefined, reader);
    if (reader.remaining > 0)
      throw new AvroDecodeError(`${reader.remaining} bytes left after the value: not written with this schema`);
    return value;
  }

  private count(): void {
    if (++this.items > MAX_ITEMS) throw new AvroDecodeError(`more than ${MAX_ITEMS} items in one value`);
  }

  private primitive(type: string, r: Reader): unknown {
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return r.byte() !== 0;
      case 'int':
      case 'long':
        return r.long();
      case 'float':
        return r.float();
      case 'double':
        return r.double();
      case 'bytes':
        return base64(r.bytes());
      case 'string':
        return r.string();
    }
    throw new AvroDecodeError(`unknown type ${type}`);
  }

  private read(node: AvroNode, ns: string | undefined, r: Reader): unknown {
    if (typeof node === 'string') {
      if (PRIMITIVES.has(node)) return this.primitive(node, r);
      const named = this.names.get(fullName(node, ns)) ?? this.names.get(node);
      if (!named) throw new AvroDecodeError(`the schema names an undeclared type ${node}`);
      return this.read(named.node, named.ns, r);
    }
    if (Array.isArray(node)) {
      const index = r.size('a union branch', 0);
      if (index < 0 || index >= node.length) throw new AvroDecodeError(`union branch ${index} of ${node.length}`);
      return this.read(node[index], ns, r);
    }
    const type = node.type;
    switch (type) {
      case 'record':
      case 'error': {
        const own = namespaceOf(String(node.name ?? ''), node.namespace, ns);
        const out: Record<string, unknown> = {};
        for (const f of (node.fields ?? []) as { name: string; type: AvroNode }[])
          out[f.name] = this.read(f.type, own, r);
        return out;
      }
      case 'enum': {
        const symbols = (node.symbols ?? []) as string[];
        const index = r.size('an enum index', 0);
        if (index < 0 || index >= symbols.length) throw new AvroDecodeError(`enum index ${index} of ${symbols.length}`);
        return symbols[index];
      }
      case 'array':
      case 'map': {
        const isMap = type === 'map';
        const inner = (isMap ? node.values : node.items) as AvroNode;
        const out: unknown[] = [];
        const map: Record<string, unknown> = {};
        for (;;) {
          let n = r.size(isMap ? 'a map block' : 'an array block', 0);
          if (n === 0) break;
          if (n < 0) {
            n = -n;
            r.size('a block size');
          }
          for (let i = 0; i < n; i++) {
            this.count();
            if (isMap) {
              const key = r.string();
              map[key] = this.read(inner, ns, r);
            } else out.push(this.read(inner, ns, r));
          }
        }
        return isMap ? map : out;
      }
      case 'fixed': {
        const bytes = r.raw(Number(node.size ?? 0));
        return node.logicalType === 'decimal' ? decimalText(bytes, Number(node.scale ?? 0)) : base64(bytes);
      }
    }
    if (typeof type === 'string' && PRIMITIVES.has(type)) {
      if (type === 'bytes' && node.logicalType === 'decimal') return decimalText(r.bytes(), Number(node.scale ?? 0));
      return this.primitive(type, r);
    }
    if (typeof type === 'object' && type !== null) return this.read(type as AvroNode, ns, r);
    if (typeof type === 'string') return this.read(type, ns, r);
    throw new AvroDecodeError(`not an Avro schema: ${JSON.stringify(node).slice(0, 80)}`);
  }
}

/** Decodes one value written with the schema (its JSON text or parsed form). */
export function decodeAvro(schema: unknown, bytes: Uint8Array): unknown {
  let parsed: unknown = schema;
  if (typeof schema === 'string') {
    try {
      parsed = JSON.parse(schema);
    } catch {
      // A bare primitive name is a schema too.
      parsed = schema;
    }
  }
  return new Decoder(parsed as AvroNode).decode(bytes);
}
