/**
 * A writer of Avro's binary encoding for the schemas specs use (records of primitives, unions,
 * arrays, maps, enums), and of the Confluent wire format around it: what a producer using the
 * registry's serializer sends. Specs only: DF reads Avro, it never writes it.
 */

type Schema = string | Schema[] | { [key: string]: unknown };

function zigzag(n: bigint): number[] {
  let z = n >= 0n ? n << 1n : (-n << 1n) - 1n;
  const out: number[] = [];
  do {
    let b = Number(z & 0x7fn);
    z >>= 7n;
    if (z > 0n) b |= 0x80;
    out.push(b);
  } while (z > 0n);
  return out;
}

function bytesOf(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}

/** The branch of a union like ["null", X] a value is written with: null, or the first other branch. */
function branchOf(branches: Schema[], value: unknown): number {
  const index = value === null ? branches.indexOf('null') : branches.findIndex((b) => b !== 'null');
  if (index < 0) throw new Error(`no union branch for ${JSON.stringify(value)}`);
  return index;
}

/** Named types by short and full name (specs' schemas do not reuse short names). */
type Names = Map<string, Schema>;

function collect(schema: Schema, names: Names): void {
  if (Array.isArray(schema)) return schema.forEach((b) => collect(b, names));
  if (typeof schema !== 'object' || schema === null) return;
  if (typeof schema.name === 'string') {
    names.set(schema.name, schema);
    if (typeof schema.namespace === 'string') names.set(`${schema.namespace}.${schema.name}`, schema);
  }
  for (const f of (schema.fields ?? []) as { type: Schema }[]) collect(f.type, names);
  for (const inner of [schema.items, schema.values, schema.type])
    if (inner && typeof inner === 'object') collect(inner as Schema, names);
}

function write(schema: Schema, value: unknown, out: number[], names: Names): void {
  if (Array.isArray(schema)) {
    const index = branchOf(schema, value);
    out.push(...zigzag(BigInt(index)));
    write(schema[index], value, out, names);
    return;
  }
  const type = typeof schema === 'string' ? schema : (schema.type as Schema);
  if (typeof type !== 'string') return write(type, value, out, names);
  const named = names.get(type);
  if (named && named !== schema) return write(named, value, out, names);
  switch (type) {
    case 'null':
      return;
    case 'boolean':
      out.push(value ? 1 : 0);
      return;
    case 'int':
    case 'long':
      out.push(...zigzag(BigInt(value as number | string | bigint)));
      return;
    case 'float': {
      const b = Buffer.alloc(4);
      b.writeFloatLE(value as number);
      out.push(...b);
      return;
    }
    case 'double': {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(value as number);
      out.push(...b);
      return;
    }
    case 'string': {
      const b = bytesOf(value as string);
      out.push(...zigzag(BigInt(b.length)), ...b);
      return;
    }
    case 'bytes': {
      const b = [...(value as Uint8Array)];
      out.push(...zigzag(BigInt(b.length)), ...b);
      return;
    }
  }
  const s = schema as Record<string, unknown>;
  switch (type) {
    case 'record':
      for (const f of s.fields as { name: string; type: Schema }[])
        write(f.type, (value as Record<string, unknown>)[f.name], out, names);
      return;
    case 'enum':
      out.push(...zigzag(BigInt((s.symbols as string[]).indexOf(value as string))));
      return;
    case 'array': {
      const items = value as unknown[];
      if (items.length > 0) {
        out.push(...zigzag(BigInt(items.length)));
        for (const item of items) write(s.items as Schema, item, out, names);
      }
      out.push(0);
      return;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0) {
        out.push(...zigzag(BigInt(entries.length)));
        for (const [k, v] of entries) {
          write('string', k, out, names);
          write(s.values as Schema, v, out, names);
        }
      }
      out.push(0);
      return;
    }
  }
  throw new Error(`the spec encoder does not write ${type}`);
}

/** The value in Avro's binary encoding. */
export function avroEncode(schema: unknown, value: unknown): Buffer {
  const out: number[] = [];
  const names: Names = new Map();
  collect(schema as Schema, names);
  write(schema as Schema, value, out, names);
  return Buffer.from(out);
}

/** The value as the registry's serializer frames it: magic byte 0, the schema id (4 bytes, big-endian), the Avro bytes. */
export function confluentAvro(schemaId: number, schema: unknown, value: unknown): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, avroEncode(schema, value)]);
}

/** A JSON Schema value as the registry's serializer frames it. */
export function confluentJson(schemaId: number, value: unknown): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, Buffer.from(JSON.stringify(value))]);
}
